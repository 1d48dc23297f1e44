// The person the local SAML identity provider (npm saml-idp) offers to sign in; its page
// lets anyone change the values before signing in. Used by `python dev.py idp` and the tests.
const email = process.env.POLKU_SAML_EMAIL || 'saml.demo@demo.example';

module.exports = {
  user: {
    userName: email,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    email,
    firstName: 'Saara',
    lastName: 'Demo',
  },
  metadata: [
    { id: 'email', optional: false, displayName: 'E-Mail Address', multiValue: false },
    { id: 'firstName', optional: false, displayName: 'First Name', multiValue: false },
    { id: 'lastName', optional: false, displayName: 'Last Name', multiValue: false },
  ],
};
