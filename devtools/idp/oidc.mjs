// A local OpenID Connect provider for trying and testing single sign-on: the real
// `oidc-provider` (the certified Node.js implementation) with its development login page,
// where any name logs in. Started by `python dev.py idp` and by the browser tests.
//
//   node devtools/idp/oidc.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Who logs in is decided by the login name typed on its page:
//   "ada@demo.example"             -> email ada@demo.example, vouched for (email_verified)
//   "unverified:ada@demo.example"  -> the same email, which the provider does not vouch for
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [new URL('/', redirectUri).href],
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
  },
  // The claims go in the ID token as well as behind the userinfo endpoint.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    const unverified = id.startsWith('unverified:');
    const email = unverified ? id.slice('unverified:'.length) : id;
    const local = email.split('@')[0];
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email,
          email_verified: !unverified,
          given_name: local.charAt(0).toUpperCase() + local.slice(1),
          family_name: 'Demo',
          name: `${local} Demo`,
        };
      },
    };
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
});
// Plain http on loopback is allowed for development.
provider.proxy = false;

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`OpenID Connect provider ready at ${issuer}`);
});
