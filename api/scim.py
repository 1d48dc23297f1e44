"""SCIM 2.0 provisioning (/scim/v2/, RFC 7643 and 7644): an organisation's identity or HR
system (Entra ID, Okta, Google, an HR suite) creates, updates and deactivates its people
and keeps its groups, with a bearer token of that organisation (an ApiToken with the
"scim" scope).

The protocol is scim2-models' (parsing and validating payloads, filters, PATCH, errors);
what is here is where Polku keeps things. We chose it over django-scim2 because the server
publishes only the attributes it keeps, so a client and scim2-tester never write a value
that would be lost, and no SCIM columns are added to the user table.

- A User is a ProvisionedPerson and its account. `userName` and `emails` are kept as sent;
  the account signs in with the primary email (or the userName, when it is an address).
  An address that already has an account is taken over only if that person is in this
  organisation's cohorts alone (invited before SCIM was switched on); otherwise 409.
- `active: false` closes the account: no login, out of every figure; their work stays.
  DELETE does the same and forgets the SCIM record.
- A Group is a ProvisionedGroup; linked to a cohort (in the admin), its members are the
  cohort's participants (api.services.group_cohort_sync).
- Walls: every query starts from the token's organisation. Another organisation's person
  or group answers 404, as one that does not exist."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as InvalidAddress
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Email,
    Error,
    ETag,
    Filter,
    Group,
    GroupMember,
    InvalidFilterException,
    InvalidValueException,
    ListResponse,
    Meta,
    Name,
    NotFoundException,
    NotImplementedException,
    Patch,
    PatchOp,
    ResourceType,
    Schema,
    SCIMException,
    SearchRequest,
    ServiceProviderConfig,
    Sort,
    UniquenessException,
    User,
)
from scim2_models.path import FilterVisitor
from scim2_models.path.expressions import CompareOperator, LogicalOperator

from polku.people.models import User as Account

from . import services
from .models import ApiToken, ProvisionedGroup, ProvisionedPerson, Scope, token_find

SCIM_JSON = "application/scim+json"
MAX_RESULTS = 200


# -- what Polku publishes and keeps ---------------------------------------------------------


def _published(model, keep: dict[str, set[str] | None], required: set[str] = frozenset()):
    """The core schema of `model` cut down to the attributes Polku keeps; `required` names
    attributes (or "attribute.sub") Polku cannot do without."""
    schema = model.to_schema()
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in keep:
            continue
        if keep[attribute.name] is not None:
            attribute.sub_attributes = [
                sub for sub in attribute.sub_attributes if sub.name in keep[attribute.name]
            ]
            for sub in attribute.sub_attributes:
                if f"{attribute.name}.{sub.name}" in required:
                    sub.required = True
        if attribute.name in required:
            attribute.required = True
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


USER_SCHEMA = _published(
    User,
    {
        "userName": None,
        "name": {"givenName", "familyName"},
        "emails": {"value", "type", "primary"},
        "active": None,
    },
    required={"emails", "emails.value"},  # an account needs an address to sign in and be invited
)
GROUP_SCHEMA = _published(Group, {"displayName": None, "members": {"value", "$ref", "type"}})


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2")


def _meta(request, kind: str, endpoint: str, created=None, modified=None) -> Meta:
    return Meta(
        resource_type=kind,
        created=created,
        last_modified=modified,
        location=f"{_base(request)}{endpoint}",
    )


def _config(request) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token of the organisation with the SCIM scope, made in the "
                "Polku admin (Settings › API tokens).",
                primary=True,
            )
        ],
        meta=_meta(request, "ServiceProviderConfig", "/ServiceProviderConfig"),
    )


def _resource_type(request, name: str) -> ResourceType:
    kind = KINDS[name]
    return ResourceType(
        id=name,
        name=name,
        endpoint=kind.endpoint,
        description=name,
        schema_=kind.model.__schema__,
        meta=_meta(request, "ResourceType", f"/ResourceTypes/{name}"),
    )


def _schema(request, schema: Schema) -> Schema:
    schema = schema.model_copy()
    schema.meta = _meta(request, "Schema", f"/Schemas/{schema.id}")
    return schema


def _user_out(request, person: ProvisionedPerson) -> User:
    account = person.user
    name = None
    if account.first_name or account.last_name:
        name = Name(given_name=account.first_name or None, family_name=account.last_name or None)
    return User(
        id=str(person.id),
        external_id=person.external_id or None,
        user_name=person.user_name,
        name=name,
        emails=[Email.model_validate(email) for email in person.emails] or None,
        active=person.active,
        meta=_meta(request, "User", f"/Users/{person.id}", person.created_at, person.updated_at),
    )


def _group_out(request, group: ProvisionedGroup) -> Group:
    return Group(
        id=str(group.id),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=[
            GroupMember(
                value=str(member.id), ref=f"{_base(request)}/Users/{member.id}", type="User"
            )
            for member in group.members.all()
        ]
        or None,
        meta=_meta(request, "Group", f"/Groups/{group.id}", group.created_at, group.updated_at),
    )


# -- filters ----------------------------------------------------------------------------------

# SCIM attribute path (lower case) → (the field it is kept in, whether strings compare exactly)
USER_FIELDS = {
    "id": ("id", True),
    "externalid": ("external_id", True),
    "username": ("user_name", False),
    "emails": ("user__email", False),
    "emails.value": ("user__email", False),
    "name.givenname": ("user__first_name", False),
    "name.familyname": ("user__last_name", False),
    "active": ("user__is_active", True),
    "meta.created": ("created_at", True),
    "meta.lastmodified": ("updated_at", True),
}
GROUP_FIELDS = {
    "id": ("id", True),
    "externalid": ("external_id", True),
    "displayname": ("display_name", False),
    "members": ("members__id", True),
    "members.value": ("members__id", True),
    "meta.created": ("created_at", True),
    "meta.lastmodified": ("updated_at", True),
}
_LOOKUPS = {
    CompareOperator.eq: "exact",
    CompareOperator.ne: "exact",
    CompareOperator.co: "contains",
    CompareOperator.sw: "startswith",
    CompareOperator.ew: "endswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}
NOTHING = Q(pk__in=[])


class _FilterQuery(FilterVisitor[Q]):
    """A SCIM filter as a Django Q over the fields above. An attribute Polku does not keep
    is refused (invalidFilter), or matches nothing where several resource types are searched
    at once (RFC 7644 §3.4.2.1)."""

    def __init__(self, fields: dict[str, tuple[str, bool]], *, unknown_matches_nothing=False):
        self.fields = fields
        self.unknown_matches_nothing = unknown_matches_nothing
        self.prefix = ""

    def _field(self, attr_path) -> tuple[str, bool] | None:
        parts = [self.prefix, attr_path.attr, attr_path.sub_attr]
        name = ".".join(part for part in parts if part).lower()
        if name in self.fields:
            return self.fields[name]
        if self.unknown_matches_nothing:
            return None
        raise InvalidFilterException(detail=f"Polku cannot filter on {name}.")

    def visit_comparison(self, node) -> Q:
        field = self._field(node.attr_path)
        if field is None:
            return NOTHING
        name, case_exact = field
        lookup = _LOOKUPS[node.op]
        if not case_exact and lookup in ("exact", "contains", "startswith", "endswith"):
            lookup = f"i{lookup}"
        value = node.value
        if (name == "id" or name.endswith("__id")) and not _is_uuid(value):  # uuid keys only
            return NOTHING if node.op != CompareOperator.ne else ~NOTHING
        query = Q(**{f"{name}__{lookup}": value})
        return ~query if node.op == CompareOperator.ne else query

    def visit_present(self, node) -> Q:
        field = self._field(node.attr_path)
        if field is None:
            return NOTHING
        return Q(**{f"{field[0]}__isnull": False}) & ~Q(**{field[0]: ""})

    def visit_not(self, node) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node) -> Q:
        terms = [self.visit(term) for term in node.terms]
        joined = terms[0]
        for term in terms[1:]:
            joined = joined & term if node.op == LogicalOperator.and_ else joined | term
        return joined

    def visit_value_path(self, node) -> Q:
        self.prefix = node.attr_path.attr
        try:
            return self.visit(node.val_filter)
        finally:
            self.prefix = ""


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# -- requests and answers ---------------------------------------------------------------------


def _answer(body: dict | None, status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body) if body is not None else b"",
        status=status,
        content_type=SCIM_JSON if body is not None else None,
    )
    if location:
        response["Location"] = location
    return response


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, detail=detail, scim_type=scim_type)
    return _answer(error.model_dump(), status=status)


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidValueException(detail="The body is not JSON.") from exc
    if not isinstance(body, dict):
        raise InvalidValueException(detail="The body is not a JSON object.")
    return body


def _token(request) -> ApiToken | HttpResponse:
    header = request.headers.get("Authorization", "")
    scheme, _space, raw = header.partition(" ")
    token = token_find(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
    if token is None:
        response = _error(401, "A bearer token of the organisation is needed.")
        response["WWW-Authenticate"] = 'Bearer realm="Polku SCIM"'
        return response
    if Scope.SCIM not in token.scopes:
        return _error(403, "This token may not provision people (it has no SCIM scope).")
    return token


def endpoint(*methods: str):
    """A SCIM endpoint: the organisation's token, its methods (405 for others), SCIM errors
    as SCIM error bodies, one transaction per write."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            token = _token(request)
            if isinstance(token, HttpResponse):
                return token
            if request.method not in methods:
                response = _error(405, f"{request.method} is not allowed here.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                with transaction.atomic():
                    return view(request, token.organisation, *args, **kwargs)
            except SCIMException as exc:
                error = exc.to_error()
                return _answer(error.model_dump(), status=int(error.status))
            except ValidationError as exc:
                detail = "; ".join(
                    f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in exc.errors()
                )
                return _error(400, detail or "Invalid value.", "invalidValue")

        return wrapper

    return decorate


def _parameters(request, model) -> SearchRequest:
    """A query's parameters (from the address, or a POST /.search body) as a SearchRequest
    bound to `model`."""
    if request.method == "POST":
        data = _body(request)
    else:
        data = {key: request.GET[key] for key in request.GET}
    for key in ("startIndex", "count"):
        if key in data:
            try:
                data[key] = int(data[key])
            except (TypeError, ValueError) as exc:
                raise InvalidValueException(detail=f"{key} is not a number.") from exc
    data.pop("schemas", None)
    return SearchRequest[model].model_validate(data, scim_ctx=Context.SEARCH_REQUEST)


def _page(queryset, search: SearchRequest) -> tuple[int, int, list]:
    start = max(search.start_index or 1, 1)
    count = MAX_RESULTS if search.count is None else min(max(search.count, 0), MAX_RESULTS)
    total = queryset.count()
    rows = list(queryset[start - 1 : start - 1 + count]) if count else []
    return total, start, rows


def _listing(search, resources: list, total: int, start: int, model) -> HttpResponse:
    listing = ListResponse[model](
        total_results=total, start_index=start, items_per_page=len(resources), resources=resources
    )
    return _answer(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search))


def _one(resource, request, status=200, location=None) -> HttpResponse:
    parameters = None
    if request.method == "GET" and {"attributes", "excludedAttributes"} & set(request.GET):
        parameters = _parameters(request, type(resource))
    body = resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters
    )
    return _answer(body, status=status, location=location)


# -- people -----------------------------------------------------------------------------------


def _people(organisation):
    return ProvisionedPerson.objects.filter(organisation=organisation).select_related("user")


def _email(resource: User) -> str:
    """The address the person signs in with: the primary email, the first one, or the
    userName when it is an address."""
    emails = resource.emails or []
    chosen = next((e.value for e in emails if e.primary), None) or next(
        (e.value for e in emails if e.value), None
    )
    candidate = chosen or resource.user_name or ""
    try:
        validate_email(candidate)
    except InvalidAddress as exc:
        raise InvalidValueException(
            detail="Polku needs an email address for each person: send one in emails."
        ) from exc
    return Account.objects.normalize_email(candidate).strip().lower()


def _user_keep(organisation, resource: User, person: ProvisionedPerson | None) -> ProvisionedPerson:
    """Creates or replaces a person from a SCIM User (already validated)."""
    if not resource.user_name:
        raise InvalidValueException(detail="userName is required.")
    same_name = _people(organisation).filter(user_name__iexact=resource.user_name)
    if person is not None:
        same_name = same_name.exclude(id=person.id)
    if same_name.exists():
        raise UniquenessException(detail="Another person has this userName.")
    email = _email(resource)
    owner = Account.objects.filter(email__iexact=email).first()
    if person is None:
        if owner is not None and not services.account_adoptable(owner, organisation):
            raise UniquenessException(detail="This email address has an account already.")
        account = owner or services.account_new(email)
    else:
        account = person.user
        if owner is not None and owner.id != account.id:
            raise UniquenessException(detail="This email address has an account already.")
    account.email = email
    account.first_name = (resource.name.given_name if resource.name else None) or ""
    account.last_name = (resource.name.family_name if resource.name else None) or ""
    active = resource.active is not False  # not sent: open
    person = person or ProvisionedPerson(organisation=organisation, user=account)
    person.user_name = resource.user_name
    person.external_id = resource.external_id or ""
    person.active = resource.active
    person.emails = [
        e.model_dump(mode="json", exclude_none=True, by_alias=True, scim_ctx=None)
        for e in resource.emails or []
    ]
    person.updated_at = timezone.now()
    try:
        with transaction.atomic():
            services.account_save(account, active=active)
            person.save()
    except IntegrityError as exc:
        raise UniquenessException(detail="This userName or address is taken.") from exc
    return person


# -- groups -----------------------------------------------------------------------------------


def _groups(organisation):
    return ProvisionedGroup.objects.filter(organisation=organisation).prefetch_related("members")


def _group_keep(organisation, resource: Group, group: ProvisionedGroup | None) -> ProvisionedGroup:
    if not resource.display_name:
        raise InvalidValueException(detail="displayName is required.")
    wanted = {member.value for member in resource.members or []}
    if not all(_is_uuid(value) for value in wanted):
        raise InvalidValueException(detail="A member is not a user of this organisation.")
    members = list(_people(organisation).filter(id__in=wanted))
    if len(members) != len(wanted):  # another organisation's person is no one here
        raise InvalidValueException(detail="A member is not a user of this organisation.")
    before = set() if group is None else {member.id for member in group.members.all()}
    group = group or ProvisionedGroup(organisation=organisation)
    group.display_name = resource.display_name
    group.external_id = resource.external_id or ""
    group.updated_at = timezone.now()
    group.save()
    group.members.set(members)
    # Only those new to the group: a PATCH adding one person to a large group adds one.
    services.group_cohort_sync(group, added=[m.id for m in members if m.id not in before])
    return _groups(organisation).get(id=group.id)


# -- the two kinds and their endpoints ------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What SCIM serves at one endpoint, and where Polku keeps it."""

    model: type  # scim2-models' resource
    schema: Schema  # as published: only what Polku keeps
    endpoint: str
    fields: dict[str, tuple[str, bool]]  # for filters
    rows: Callable  # organisation -> its rows, and nobody else's
    out: Callable  # (request, row) -> resource
    keep: Callable  # (organisation, resource, row or None) -> row, created or replaced
    remove: Callable  # row -> None
    missing: str

    def row(self, organisation, row_id: str):
        found = self.rows(organisation).filter(id=row_id).first() if _is_uuid(row_id) else None
        if found is None:  # another organisation's is no one's here
            raise NotFoundException(detail=self.missing)
        return found

    def found(self, organisation, search: SearchRequest, *, several_kinds=False):
        rows = self.rows(organisation).order_by("created_at", "id")
        if search.filter:
            query = _FilterQuery(self.fields, unknown_matches_nothing=several_kinds)
            rows = rows.filter(query.visit(search.filter.ast)).distinct()
        return rows


PEOPLE = Kind(
    User,
    USER_SCHEMA,
    "/Users",
    USER_FIELDS,
    _people,
    _user_out,
    _user_keep,
    services.person_unprovision,
    "No such user.",
)
GROUPS = Kind(
    Group,
    GROUP_SCHEMA,
    "/Groups",
    GROUP_FIELDS,
    _groups,
    _group_out,
    _group_keep,
    ProvisionedGroup.delete,
    "No such group.",
)
KINDS = {"User": PEOPLE, "Group": GROUPS}


@endpoint("GET", "POST")
def collection(request, organisation, kind: Kind):
    if request.method == "GET":
        return _listed(request, organisation, kind)
    resource = kind.model.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    row = kind.keep(organisation, resource, None)
    location = f"{_base(request)}{kind.endpoint}/{row.id}"
    return _one(kind.out(request, row), request, status=201, location=location)


@endpoint("POST")
def collection_search(request, organisation, kind: Kind):
    return _listed(request, organisation, kind)


def _listed(request, organisation, kind: Kind):
    search = _parameters(request, kind.model)
    total, start, rows = _page(kind.found(organisation, search), search)
    resources = [kind.out(request, row) for row in rows]
    return _listing(search, resources, total, start, kind.model)


@endpoint("GET", "PUT", "PATCH", "DELETE")
def item(request, organisation, kind: Kind, row_id: str):
    row = kind.row(organisation, row_id)
    if request.method == "DELETE":
        kind.remove(row)
        return _answer(None, status=204)
    if request.method == "PUT":
        resource = kind.model.model_validate(
            _body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
        )
        row = kind.keep(organisation, resource, row)
    elif request.method == "PATCH":
        patch = PatchOp[kind.model].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        resource = kind.out(request, row)
        if patch.patch(resource):
            row = kind.keep(organisation, resource, row)
    return _one(kind.out(request, row), request)


@endpoint("POST")
def search(request, organisation):
    """POST /.search: people and groups at once; an attribute one of them lacks matches
    none of that kind (RFC 7644 §3.4.2.1)."""
    search = _parameters(request, User | Group)
    resources, total = [], 0
    for kind in KINDS.values():
        rows = kind.found(organisation, search, several_kinds=True)
        total += rows.count()
        resources += [kind.out(request, row) for row in rows[: MAX_RESULTS - len(resources)]]
    return _listing(search, resources, total, 1, User | Group)


# -- what the service is ----------------------------------------------------------------------


@endpoint("GET")
def service_provider_config(request, organisation):
    return _answer(_config(request).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@endpoint("GET")
def resource_types(request, organisation):
    found = [_resource_type(request, name) for name in KINDS]
    listing = ListResponse[ResourceType](
        total_results=len(found), start_index=1, items_per_page=len(found), resources=found
    )
    return _answer(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


@endpoint("GET")
def resource_type(request, organisation, name):
    if name not in KINDS:
        raise NotFoundException(detail="No such resource type.")
    return _answer(
        _resource_type(request, name).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    )


@endpoint("GET")
def schemas(request, organisation):
    found = [_schema(request, kind.schema) for kind in KINDS.values()]
    listing = ListResponse[Schema](
        total_results=len(found), start_index=1, items_per_page=len(found), resources=found
    )
    return _answer(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


@endpoint("GET")
def schema(request, organisation, schema_id):
    for kind in KINDS.values():
        if kind.schema.id == schema_id:
            return _answer(
                _schema(request, kind.schema).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
            )
    raise NotFoundException(detail="No such schema.")


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request, organisation, rest=""):
    raise NotFoundException(detail="Nothing here.")


def _not_implemented(request, organisation):
    raise NotImplementedException(detail="Bulk operations are not supported.")


bulk = endpoint("POST")(_not_implemented)

urlpatterns = [
    path("ServiceProviderConfig", service_provider_config, name="scim_config"),
    path("ResourceTypes", resource_types, name="scim_resource_types"),
    path("ResourceTypes/<str:name>", resource_type, name="scim_resource_type"),
    path("Schemas", schemas, name="scim_schemas"),
    path("Schemas/<str:schema_id>", schema, name="scim_schema"),
    path("Users", collection, {"kind": PEOPLE}, name="scim_users"),
    path("Users/.search", collection_search, {"kind": PEOPLE}, name="scim_users_search"),
    path("Users/<str:row_id>", item, {"kind": PEOPLE}, name="scim_user"),
    path("Groups", collection, {"kind": GROUPS}, name="scim_groups"),
    path("Groups/.search", collection_search, {"kind": GROUPS}, name="scim_groups_search"),
    path("Groups/<str:row_id>", item, {"kind": GROUPS}, name="scim_group"),
    path(".search", search, name="scim_search"),
    path("Bulk", bulk, name="scim_bulk"),
    re_path(r"^(?P<rest>.*)$", not_found, name="scim_not_found"),
]
