//! `GET /{ver}/users`, `GET /{ver}/users/{id | userPrincipalName}`, `GET /{ver}/users('{key}')` and
//! `GET /{ver}/me`: the directory's users, with Graph's query options (odata.rs) over the emulator's user store.

use std::cmp::Ordering;
use std::sync::atomic::Ordering as AtomicOrdering;

use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use crate::auth::Caller;
use crate::graph_errors::{GraphError, GraphReply};
use crate::odata::{
    self, base_url, eval_filter, eval_search, next_link, order, sort_key, Cap, Cursor, Filter,
    Kind, Options, Prop, PropSpec, Schema, Search, SearchMode, Val,
};
use crate::state::{Shared, User};

use Cap::{Advanced as A, Default as D, No as N};

const fn spec(name: &'static str, kind: Kind, caps: [Cap; 8], search: SearchMode) -> PropSpec {
    PropSpec {
        name,
        kind,
        eq: caps[0],
        in_: caps[1],
        ge: caps[2],
        le: caps[3],
        starts: caps[4],
        ends: caps[5],
        null: caps[6],
        order: caps[7],
        search,
    }
}

// Indexes into USER_PROPS.
const ID: usize = 0;
const UPN: usize = 1;
const DISPLAY_NAME: usize = 2;
const GIVEN_NAME: usize = 3;
const SURNAME: usize = 4;
const MAIL: usize = 5;
const MAIL_NICKNAME: usize = 6;
const ACCOUNT_ENABLED: usize = 7;
const DEPARTMENT: usize = 8;
const JOB_TITLE: usize = 9;
const USER_TYPE: usize = 10;
const MOBILE_PHONE: usize = 11;
const OFFICE_LOCATION: usize = 12;
const PREFERRED_LANGUAGE: usize = 13;
const BUSINESS_PHONES: usize = 14;
const CREATED: usize = 15;

/// The modelled properties and what each operator may do with them, from Graph's table of `$filter` support on
/// directory objects ("Default" = always, "Advanced" = needs ConsistencyLevel eventual and `$count=true`), and of
/// `$orderby` support (displayName and userPrincipalName by default, createdDateTime advanced).
/// Columns: eq, in, ge, le, startsWith, endsWith, eq null, orderby.
static USER_PROPS: [PropSpec; 16] = [
    spec(
        "id",
        Kind::Str,
        [D, D, N, N, N, N, N, N],
        SearchMode::Prefix,
    ),
    spec(
        "userPrincipalName",
        Kind::Str,
        [D, D, N, D, D, A, N, D],
        SearchMode::Prefix,
    ),
    spec(
        "displayName",
        Kind::Str,
        [D, D, N, N, D, N, A, D],
        SearchMode::Tokens,
    ),
    spec(
        "givenName",
        Kind::Str,
        [D, D, D, D, D, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "surname",
        Kind::Str,
        [D, D, D, D, D, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "mail",
        Kind::Str,
        [D, D, D, D, D, A, N, N],
        SearchMode::Prefix,
    ),
    spec(
        "mailNickname",
        Kind::Str,
        [D, D, D, D, D, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "accountEnabled",
        Kind::Bool,
        [D, D, A, A, N, N, N, N],
        SearchMode::No,
    ),
    spec(
        "department",
        Kind::Str,
        [D, D, D, D, D, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "jobTitle",
        Kind::Str,
        [D, D, D, D, N, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "userType",
        Kind::Str,
        [D, D, N, N, N, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "mobilePhone",
        Kind::Str,
        [A, A, A, A, A, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "officeLocation",
        Kind::Str,
        [A, A, A, A, A, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "preferredLanguage",
        Kind::Str,
        [A, A, A, A, A, N, A, N],
        SearchMode::Prefix,
    ),
    spec(
        "businessPhones",
        Kind::StrList,
        [N, N, N, N, N, N, N, N],
        SearchMode::No,
    ),
    spec(
        "createdDateTime",
        Kind::Time,
        [D, A, D, D, N, N, N, A],
        SearchMode::No,
    ),
];

/// Other properties of Graph's user: selectable, `null` (or `[]` for collections) unless a test seeds them.
static OTHERS: [(&str, bool); 58] = [
    ("aboutMe", false),
    ("ageGroup", false),
    ("assignedLicenses", true),
    ("assignedPlans", true),
    ("birthday", false),
    ("city", false),
    ("companyName", false),
    ("consentProvidedForMinor", false),
    ("country", false),
    ("creationType", false),
    ("deletedDateTime", false),
    ("employeeHireDate", false),
    ("employeeId", false),
    ("employeeLeaveDateTime", false),
    ("employeeOrgData", false),
    ("employeeType", false),
    ("externalUserState", false),
    ("externalUserStateChangeDateTime", false),
    ("faxNumber", false),
    ("hireDate", false),
    ("identities", true),
    ("imAddresses", true),
    ("interests", true),
    ("isManagementRestricted", false),
    ("isResourceAccount", false),
    ("lastPasswordChangeDateTime", false),
    ("legalAgeGroupClassification", false),
    ("licenseAssignmentStates", true),
    ("mailboxSettings", false),
    ("mySite", false),
    ("onPremisesDistinguishedName", false),
    ("onPremisesDomainName", false),
    ("onPremisesExtensionAttributes", false),
    ("onPremisesImmutableId", false),
    ("onPremisesLastSyncDateTime", false),
    ("onPremisesProvisioningErrors", true),
    ("onPremisesSamAccountName", false),
    ("onPremisesSecurityIdentifier", false),
    ("onPremisesSyncEnabled", false),
    ("onPremisesUserPrincipalName", false),
    ("otherMails", true),
    ("passwordPolicies", false),
    ("passwordProfile", false),
    ("pastProjects", true),
    ("postalCode", false),
    ("preferredDataLocation", false),
    ("preferredName", false),
    ("provisionedPlans", true),
    ("proxyAddresses", true),
    ("responsibilities", true),
    ("schools", true),
    ("securityIdentifier", false),
    ("showInAddressList", false),
    ("signInActivity", false),
    ("signInSessionsValidFromDateTime", false),
    ("skills", true),
    ("state", false),
    ("streetAddress", false),
];

/// Navigation properties `$expand` accepts. The emulator keeps no relationships: collections expand to `[]` and
/// `manager` is left out, as Graph does for a user without one.
static NAVIGATIONS: [(&str, bool); 9] = [
    ("manager", false),
    ("memberOf", true),
    ("transitiveMemberOf", true),
    ("directReports", true),
    ("ownedDevices", true),
    ("registeredDevices", true),
    ("ownedObjects", true),
    ("createdObjects", true),
    ("appRoleAssignments", true),
];

pub static USER: Schema = Schema {
    type_name: "user",
    resource: "User",
    props: &USER_PROPS,
    others: &OTHERS,
    navigations: &NAVIGATIONS,
};

/// v1.0 returns this default set when there is no `$select` (Graph's documented default).
const V1_DEFAULT: [usize; 11] = [
    BUSINESS_PHONES,
    DISPLAY_NAME,
    GIVEN_NAME,
    JOB_TITLE,
    MAIL,
    MOBILE_PHONE,
    OFFICE_LOCATION,
    PREFERRED_LANGUAGE,
    SURNAME,
    UPN,
    ID,
];

/// beta returns a larger default set: every modelled property (plus seeded extra ones).
const BETA_DEFAULT: [usize; 16] = [
    ID,
    ACCOUNT_ENABLED,
    BUSINESS_PHONES,
    CREATED,
    DEPARTMENT,
    DISPLAY_NAME,
    GIVEN_NAME,
    JOB_TITLE,
    MAIL,
    MAIL_NICKNAME,
    MOBILE_PHONE,
    OFFICE_LOCATION,
    PREFERRED_LANGUAGE,
    SURNAME,
    UPN,
    USER_TYPE,
];

/// Permissions that read any user (delegated or application); reading oneself also takes `User.Read`.
const READ_ANY: [&str; 5] = [
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
const READ_SELF: [&str; 2] = ["User.Read", "User.ReadWrite"];

/// Whether a seed's `properties` key names a modelled property (those are set through their own fields).
pub fn is_modelled_property(name: &str) -> bool {
    USER_PROPS.iter().any(|p| p.name.eq_ignore_ascii_case(name))
}

fn text(v: &Option<String>) -> Val<'_> {
    v.as_deref().map_or(Val::Null, Val::Str)
}

fn value<'a>(u: &'a User, prop: &Prop) -> Val<'a> {
    let p = &u.profile;
    match prop {
        Prop::Modelled(i) => match *i {
            ID => Val::Str(&u.id),
            UPN => Val::Str(&u.upn),
            DISPLAY_NAME => text(&p.display_name),
            GIVEN_NAME => text(&p.given_name),
            SURNAME => text(&p.surname),
            MAIL => text(&p.mail),
            MAIL_NICKNAME => text(&p.mail_nickname),
            ACCOUNT_ENABLED => p.account_enabled.map_or(Val::Null, Val::Bool),
            DEPARTMENT => text(&p.department),
            JOB_TITLE => text(&p.job_title),
            USER_TYPE => text(&p.user_type),
            MOBILE_PHONE => text(&p.mobile_phone),
            OFFICE_LOCATION => text(&p.office_location),
            PREFERRED_LANGUAGE => text(&p.preferred_language),
            BUSINESS_PHONES => Val::List(&p.business_phones),
            CREATED => Val::Time(p.created),
            _ => Val::Null,
        },
        Prop::Other(name) => p.extra.get(name).map_or(Val::Null, Val::Json),
    }
}

fn json_of(u: &User, prop: &Prop) -> Value {
    match value(u, prop) {
        Val::Null => match prop {
            Prop::Other(name) if USER.is_collection(name) => json!([]),
            _ => Value::Null,
        },
        Val::Str(s) => json!(s),
        Val::Bool(b) => json!(b),
        Val::Time(t) => json!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        Val::List(l) => json!(l),
        Val::Json(v) => v.clone(),
    }
}

/// Which properties an answer carries.
enum Selection {
    Default,
    All,
    Props(Vec<Prop>),
}

struct Shape {
    beta: bool,
    selection: Selection,
    expand: Vec<(&'static str, bool)>,
}

impl Shape {
    fn render(&self, u: &User) -> Value {
        let mut out = Map::new();
        let mut put = |prop: Prop| {
            out.insert(USER.name(&prop).to_owned(), json_of(u, &prop));
        };
        match &self.selection {
            Selection::Props(props) => props.iter().cloned().for_each(&mut put),
            Selection::Default if !self.beta => {
                V1_DEFAULT.iter().for_each(|&i| put(Prop::Modelled(i)))
            }
            Selection::Default => {
                BETA_DEFAULT.iter().for_each(|&i| put(Prop::Modelled(i)));
                u.profile
                    .extra
                    .keys()
                    .for_each(|k| put(Prop::Other(k.clone())));
            }
            Selection::All => {
                (0..USER_PROPS.len()).for_each(|i| put(Prop::Modelled(i)));
                OTHERS
                    .iter()
                    .for_each(|(n, _)| put(Prop::Other((*n).to_owned())));
                u.profile
                    .extra
                    .keys()
                    .for_each(|k| put(Prop::Other(k.clone())));
            }
        }
        for (nav, collection) in &self.expand {
            if *collection {
                out.insert((*nav).to_owned(), json!([]));
            }
        }
        Value::Object(out)
    }

    /// `@odata.context`: `{base}/{ver}/$metadata#users[(a,b)][/$entity]`.
    fn context(&self, base: &str, version: &str, entity: bool) -> String {
        let mut s = format!("{base}/{version}/$metadata#users");
        if let Selection::Props(props) = &self.selection {
            let names: Vec<&str> = props.iter().map(|p| USER.name(p)).collect();
            s.push_str(&format!("({})", names.join(",")));
        }
        if entity {
            s.push_str("/$entity");
        }
        s
    }
}

enum Target {
    List,
    One(String),
    Me,
}

/// Answers the user routes; `None` when the path is not one of them (graph_routes.rs routes the rest).
pub fn handle(
    app: &Shared,
    parts: &Parts,
    caller: &Caller,
) -> Option<Result<GraphReply, GraphError>> {
    let mut segments: Vec<String> = parts
        .uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    if segments.len() > 1 && segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    let version = segments[0].clone();
    if version != "beta" && version != "v1.0" || segments.len() < 2 {
        return None;
    }
    let first = segments[1].to_ascii_lowercase();
    let target = match segments.len() {
        2 if first == "users" => Target::List,
        2 if first == "me" => Target::Me,
        2 if first.starts_with("users(") && first.ends_with(')') => Target::One(key_segment(
            &segments[1]["users(".len()..segments[1].len() - 1],
        )),
        3 if first == "users" => Target::One(segments[2].clone()),
        _ => return None,
    };
    Some(answer(app, parts, caller, &version, target))
}

/// The key inside `users('...')`: quoted (with `''` for a quote) or bare.
fn key_segment(inner: &str) -> String {
    let inner = inner.trim();
    match inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => inner.to_owned(),
    }
}

fn has(granted: &[String], wanted: &[&str]) -> bool {
    granted
        .iter()
        .any(|g| wanted.iter().any(|w| g.eq_ignore_ascii_case(w)))
}

fn may_read(caller: &Caller, is_self: bool) -> bool {
    match &caller.scopes {
        Some(scp) => has(scp, &READ_ANY) || (is_self && has(scp, &READ_SELF)),
        None => has(&caller.roles, &READ_ANY),
    }
}

fn answer(
    app: &Shared,
    parts: &Parts,
    caller: &Caller,
    version: &str,
    target: Target,
) -> Result<GraphReply, GraphError> {
    if parts.method != Method::GET {
        return Err(GraphError::method_not_allowed("GET"));
    }
    let (key, is_self) = match target {
        Target::List => {
            if !may_read(caller, false) {
                return Err(GraphError::forbidden());
            }
            return list(app, parts, version);
        }
        Target::Me => match (&caller.scopes, &caller.oid) {
            (Some(_), Some(oid)) => (oid.clone(), true),
            _ => {
                return Err(GraphError::bad_request(
                    "/me request is only valid with delegated authentication flow.",
                ))
            }
        },
        Target::One(key) => {
            let is_self = crate::graph_routes::is_caller(app, caller, &key);
            (key, is_self)
        }
    };
    if !may_read(caller, is_self) {
        return Err(GraphError::forbidden());
    }
    get_one(app, parts, version, &key)
}

fn shape(
    options: &Options,
    version: &str,
    extras: &std::collections::HashSet<String>,
) -> Result<Shape, GraphError> {
    let selection = match options.get("select") {
        None => Selection::Default,
        Some(v) => match odata::parse_select(v, &USER, extras)? {
            None => Selection::All,
            Some(props) if props.is_empty() => Selection::Default,
            Some(props) => Selection::Props(props),
        },
    };
    let expand = match options.get("expand") {
        None => Vec::new(),
        Some(v) => odata::parse_expand(v, &USER)?,
    };
    Ok(Shape {
        beta: version == "beta",
        selection,
        expand,
    })
}

fn get_one(
    app: &Shared,
    parts: &Parts,
    version: &str,
    key: &str,
) -> Result<GraphReply, GraphError> {
    let options = Options::parse(parts.uri.query(), &["select", "expand"], "on a single user")?;
    let store = app.store.lock();
    let shape = shape(&options, version, &store.extra_property_names)?;
    let user = store
        .find_user(key)
        .map(|i| &store.users[i])
        .ok_or_else(|| GraphError::not_found(key))?;
    let https = app.https.load(AtomicOrdering::Relaxed);
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(shape.context(&base_url(parts, https), version, true)),
    );
    if let Value::Object(props) = shape.render(user) {
        body.extend(props);
    }
    Ok(GraphReply::json(StatusCode::OK, Value::Object(body)))
}

const LIST_OPTIONS: [&str; 8] = [
    "filter",
    "search",
    "top",
    "select",
    "count",
    "orderby",
    "expand",
    "skiptoken",
];

/// Graph's page size when `$top` is not given.
pub const DEFAULT_PAGE_SIZE: usize = 100;

fn list(app: &Shared, parts: &Parts, version: &str) -> Result<GraphReply, GraphError> {
    let options = Options::parse(parts.uri.query(), &LIST_OPTIONS, "on the users collection")?;
    let eventual = parts.headers.get_all("consistencylevel").iter().any(|v| {
        v.to_str()
            .is_ok_and(|s| s.trim().eq_ignore_ascii_case("eventual"))
    });
    let count = options
        .get("count")
        .map(odata::parse_count)
        .transpose()?
        .unwrap_or(false);
    // Advanced query parameters: the header and $count=true. Without the header Graph ignores $count=true.
    let advanced = eventual && count;
    let top = options
        .get("top")
        .map(odata::parse_top)
        .transpose()?
        .unwrap_or(DEFAULT_PAGE_SIZE);

    let store = app.store.lock();
    let extras = &store.extra_property_names;
    let shape = shape(&options, version, extras)?;
    let filter: Option<Filter> = match options.get("filter") {
        Some(text) => {
            let f = odata::parse_filter(text, &USER, extras)?;
            odata::check_filter(&f, &USER, advanced)?;
            Some(f)
        }
        None => None,
    };
    let search: Option<Search> = match options.get("search") {
        Some(_) if !eventual => {
            return Err(odata::unsupported(
                "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
            ))
        }
        Some(text) => Some(odata::parse_search(text, &USER, extras)?),
        None => None,
    };
    let orderby = match options.get("orderby") {
        Some(text) => {
            let o = odata::parse_orderby(text, &USER, extras, advanced)?;
            // Filtering and sorting together is an advanced query.
            if filter.is_some() && !advanced {
                return Err(odata::sorting_not_supported());
            }
            Some(o)
        }
        None => None,
    };
    if !shape.expand.is_empty() && eventual && (count || search.is_some()) {
        return Err(odata::unsupported(
            "$expand is not supported in advanced queries (ConsistencyLevel: eventual with $count or $search).",
        ));
    }
    let desc = orderby.as_ref().is_some_and(|(_, d)| *d);
    let order_label = orderby.as_ref().map_or(String::new(), |(p, d)| {
        format!("{} {}", USER.name(p), if *d { "desc" } else { "asc" })
    });
    let cursor = options
        .get("skiptoken")
        .map(|t| Cursor::decode(t, &order_label))
        .transpose()?;

    // One pass: count every match, keep those after the cursor, then take the first `top` in order.
    let key_of = |u: &User| match &orderby {
        Some((prop, _)) => sort_key(value(u, prop)),
        None => None,
    };
    let mut total = 0usize;
    let mut rest: Vec<(Option<String>, u64, usize)> = Vec::new();
    for (i, u) in store.users.iter().enumerate() {
        let get = |p: &Prop| value(u, p);
        if filter.as_ref().is_some_and(|f| !eval_filter(f, &get))
            || search.as_ref().is_some_and(|s| !eval_search(s, &get))
        {
            continue;
        }
        total += 1;
        let key = key_of(u);
        if let Some(c) = &cursor {
            if order((&key, u.seq), (&c.key, c.seq), desc) != Ordering::Greater {
                continue;
            }
        }
        rest.push((key, u.seq, i));
    }
    let by_order = |a: &(Option<String>, u64, usize), b: &(Option<String>, u64, usize)| {
        order((&a.0, a.1), (&b.0, b.1), desc)
    };
    let more = rest.len() > top;
    if more {
        rest.select_nth_unstable_by(top, by_order);
        rest.truncate(top);
    }
    rest.sort_unstable_by(by_order);

    let https = app.https.load(AtomicOrdering::Relaxed);
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(shape.context(&base_url(parts, https), version, false)),
    );
    if advanced {
        body.insert("@odata.count".into(), json!(total));
    }
    if more {
        if let Some((key, seq, _)) = rest.last() {
            let token = Cursor {
                order: order_label,
                key: key.clone(),
                seq: *seq,
            }
            .encode();
            body.insert(
                "@odata.nextLink".into(),
                json!(next_link(parts, https, &options.pairs, &token)),
            );
        }
    }
    let value: Vec<Value> = rest
        .iter()
        .map(|(_, _, i)| shape.render(&store.users[*i]))
        .collect();
    body.insert("value".into(), Value::Array(value));
    Ok(GraphReply::json(StatusCode::OK, Value::Object(body)))
}
