//! The user routes (issue 13, item 5), in process: `GET /{ver}/users` with `$filter`, `$search`, `$top`,
//! `$select`, `$count`, `$orderby`, `$expand` and `@odata.nextLink` paging, the ConsistencyLevel rules of
//! advanced queries, `GET /{ver}/users/{id | UPN}`, `/users('key')`, `/me`, permissions, and seeding.

use std::collections::HashSet;

use axum::http::StatusCode;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::{json, Value};

mod common;

use common::{Harness, Reply, ALICE};

const READER: &str = "User.Read.All";

/// Six users: two in Sales (bob disabled), one in IT, one without department at another domain, a guest and a
/// meeting room. Seeded in this order, which is also the default listing order.
async fn harness() -> Harness {
    Harness::seeded(json!([
        {"id": ALICE, "userPrincipalName": "alice.smith@contoso.com", "department": "Sales",
         "jobTitle": "Sales Manager"},
        {"userPrincipalName": "bob.jones@contoso.com", "department": "Sales", "accountEnabled": false},
        {"userPrincipalName": "carol@contoso.com", "department": "IT", "properties": {"city": "Paris"}},
        {"userPrincipalName": "dave.brown@fabrikam.com", "hasQrCodeMethod": false},
        {"userPrincipalName": "eve_partner.com#EXT#@contoso.com"},
        {"userPrincipalName": "room.adams@contoso.com", "displayName": "Conf Room Adams",
         "mail": null, "userType": "Member"}
    ]))
    .await
}

async fn reader(h: &Harness) -> String {
    h.token(json!({ "scp": READER })).await
}

/// `path?k=v&...` with every value percent-encoded.
fn url(path: &str, query: &[(&str, &str)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let q: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect();
    format!("{path}?{}", q.join("&"))
}

async fn get(h: &Harness, token: &str, uri: &str, eventual: bool) -> Reply {
    let headers: &[(&str, &str)] = if eventual {
        &[("ConsistencyLevel", "eventual")]
    } else {
        &[]
    };
    h.send_raw("GET", uri, Some(token), None, headers).await
}

async fn list(h: &Harness, t: &str, query: &[(&str, &str)], eventual: bool) -> Reply {
    get(h, t, &url("/v1.0/users", query), eventual).await
}

fn upns(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, StatusCode::OK, "body: {}", r.body);
    r.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userPrincipalName"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_error(r: &Reply, status: StatusCode, code: &str, message: &str) {
    assert_eq!(r.status, status, "body: {}", r.body);
    assert_eq!(r.body["error"]["code"], code, "body: {}", r.body);
    let got = r.body["error"]["message"].as_str().unwrap();
    assert!(got.contains(message), "message {got:?} lacks {message:?}");
    assert_eq!(
        r.body["error"]["innerError"]["request-id"],
        r.headers["request-id"].to_str().unwrap()
    );
}

fn unsupported(r: &Reply, message: &str) {
    assert_error(
        r,
        StatusCode::BAD_REQUEST,
        "Request_UnsupportedQuery",
        message,
    );
}

const ADVANCED_HINT: &str = "is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header.";

#[tokio::test]
async fn lists_users_with_graphs_default_properties_on_each_version() {
    let h = harness().await;
    let t = reader(&h).await;
    let r = list(&h, &t, &[], false).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/v1.0/$metadata#users"));
    assert!(r.body.get("@odata.nextLink").is_none());
    assert!(r.body.get("@odata.count").is_none());
    let first = &r.body["value"][0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "businessPhones",
            "displayName",
            "givenName",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName",
            "id"
        ]
    );
    // Defaults come from the UPN.
    assert_eq!(first["id"], ALICE);
    assert_eq!(first["displayName"], "Alice Smith");
    assert_eq!(first["givenName"], "Alice");
    assert_eq!(first["surname"], "Smith");
    assert_eq!(first["mail"], "alice.smith@contoso.com");
    assert_eq!(first["jobTitle"], "Sales Manager");
    assert_eq!(first["businessPhones"], json!([]));
    assert_eq!(
        upns(&r),
        [
            "alice.smith@contoso.com",
            "bob.jones@contoso.com",
            "carol@contoso.com",
            "dave.brown@fabrikam.com",
            "eve_partner.com#EXT#@contoso.com",
            "room.adams@contoso.com"
        ]
    );

    // beta answers a larger default set, seeded extra properties included.
    let b = get(&h, &t, "/beta/users", false).await;
    assert_eq!(b.status, StatusCode::OK);
    assert!(b.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/beta/$metadata#users"));
    let users = b.body["value"].as_array().unwrap();
    assert_eq!(users[0]["accountEnabled"], true);
    assert_eq!(users[0]["department"], "Sales");
    assert_eq!(users[0]["userType"], "Member");
    assert_eq!(users[1]["accountEnabled"], false);
    assert_eq!(users[2]["city"], "Paris");
    let guest = &users[4];
    assert_eq!(guest["userType"], "Guest");
    assert_eq!(guest["mail"], "eve@partner.com");
    assert_eq!(guest["displayName"], "Eve");
    assert_eq!(guest["surname"], Value::Null);
    assert!(users[0]["createdDateTime"].as_str().unwrap().ends_with('Z'));
    assert_eq!(users[5]["mail"], Value::Null);
}

#[tokio::test]
async fn filter_eq_in_startswith_and_or_and_parentheses_work_by_default() {
    let h = harness().await;
    let t = reader(&h).await;
    let by_id = format!("id eq '{ALICE}'");
    let cases: [(&str, &[&str]); 11] = [
        (
            "userPrincipalName eq 'ALICE.SMITH@contoso.com'",
            &["alice.smith@contoso.com"],
        ),
        (&by_id, &["alice.smith@contoso.com"]),
        ("accountEnabled eq false", &["bob.jones@contoso.com"]),
        (
            "department eq 'sales'",
            &["alice.smith@contoso.com", "bob.jones@contoso.com"],
        ),
        // Property names and keywords are case-insensitive, as the Get-MgUser examples use them.
        (
            "startsWith(DisplayName, 'a') OR startsWith(displayName,'conf')",
            &["alice.smith@contoso.com", "room.adams@contoso.com"],
        ),
        (
            "department in ('IT', 'Sales')",
            &[
                "alice.smith@contoso.com",
                "bob.jones@contoso.com",
                "carol@contoso.com",
            ],
        ),
        (
            "(department eq 'Sales' or department eq 'IT') and accountEnabled eq true",
            &["alice.smith@contoso.com", "carol@contoso.com"],
        ),
        ("userType eq 'Guest'", &["eve_partner.com#EXT#@contoso.com"]),
        ("startsWith(mail,'dave.')", &["dave.brown@fabrikam.com"]),
        (
            "displayName eq 'Conf Room Adams'",
            &["room.adams@contoso.com"],
        ),
        ("givenName eq 'O''Brien'", &[]),
    ];
    for (filter, expected) in cases {
        let r = list(&h, &t, &[("$filter", filter)], false).await;
        assert_eq!(upns(&r), expected, "filter {filter}");
    }
    // The same on beta, and a filter without the `$`.
    let r = get(
        &h,
        &t,
        &url("/beta/users", &[("filter", "department eq 'IT'")]),
        false,
    )
    .await;
    assert_eq!(upns(&r), ["carol@contoso.com"]);
}

#[tokio::test]
async fn advanced_operators_need_consistency_level_and_count() {
    let h = harness().await;
    let t = reader(&h).await;
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "endsWith(mail,'@fabrikam.com')",
            "endsWith",
            &["dave.brown@fabrikam.com"],
        ),
        ("accountEnabled ne true", "ne", &["bob.jones@contoso.com"]),
        (
            "not(department eq 'Sales')",
            "not",
            &[
                "carol@contoso.com",
                "dave.brown@fabrikam.com",
                "eve_partner.com#EXT#@contoso.com",
                "room.adams@contoso.com",
            ],
        ),
        (
            "department eq null",
            "eq",
            &[
                "dave.brown@fabrikam.com",
                "eve_partner.com#EXT#@contoso.com",
                "room.adams@contoso.com",
            ],
        ),
        (
            "endsWith(userPrincipalName,'#EXT#@contoso.com')",
            "endsWith",
            &["eve_partner.com#EXT#@contoso.com"],
        ),
    ];
    for (filter, operator, expected) in cases {
        let hint = format!("Operator '{operator}' {ADVANCED_HINT}");
        // Neither, the header alone, $count alone: refused.
        unsupported(&list(&h, &t, &[("$filter", filter)], false).await, &hint);
        unsupported(&list(&h, &t, &[("$filter", filter)], true).await, &hint);
        unsupported(
            &list(&h, &t, &[("$filter", filter), ("$count", "true")], false).await,
            &hint,
        );
        let r = list(&h, &t, &[("$filter", filter), ("$count", "true")], true).await;
        assert_eq!(upns(&r), expected, "filter {filter}");
        assert_eq!(r.body["@odata.count"], expected.len(), "filter {filter}");
    }
    // The header's value is case-insensitive.
    let r = h
        .send_raw(
            "GET",
            &url(
                "/v1.0/users",
                &[("$filter", "accountEnabled ne true"), ("$count", "true")],
            ),
            Some(&t),
            None,
            &[("consistencylevel", "Eventual")],
        )
        .await;
    assert_eq!(upns(&r), ["bob.jones@contoso.com"]);
}

#[tokio::test]
async fn unsupported_and_malformed_filters_get_graphs_errors() {
    let h = harness().await;
    let t = reader(&h).await;
    let advanced = |f: &'static str| [("$filter", f), ("$count", "true")];
    // Not indexed for that operator, even in an advanced query.
    for filter in [
        "endsWith(displayName,'Smith')",
        "startsWith(jobTitle,'Sales')",
        "displayName gt 'a'",
        "mail eq null",
    ] {
        let r = list(&h, &t, &advanced(filter), true).await;
        let prop = if filter.contains("jobTitle") {
            "jobTitle"
        } else if filter.contains("mail") {
            "mail"
        } else {
            "displayName"
        };
        unsupported(
            &r,
            &format!(
                "Unsupported or invalid query filter clause specified for property '{prop}' of resource 'User'."
            ),
        );
    }
    unsupported(
        &list(&h, &t, &advanced("contains(displayName,'li')"), true).await,
        "The function 'contains' is not supported",
    );
    unsupported(
        &list(
            &h,
            &t,
            &advanced("proxyAddresses/any(p:startsWith(p,'smtp:'))"),
            true,
        )
        .await,
        "proxyAddresses/any",
    );
    assert_error(
        &list(&h, &t, &[("$filter", "foo eq 'x'")], false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Could not find a property named 'foo' on type 'microsoft.graph.user'.",
    );
    for bad in [
        "displayName eq",
        "displayName eq 'x",
        "startsWith(displayName)",
        "(department eq 'IT'",
        "department eq 'IT' extra",
        "",
    ] {
        assert_error(
            &list(&h, &t, &[("$filter", bad)], false).await,
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Invalid filter clause: Syntax error at position",
        );
    }
    assert_error(
        &list(&h, &t, &[("$filter", "accountEnabled eq 'true'")], false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.",
    );
}

#[tokio::test]
async fn search_needs_consistency_level_and_matches_words_or_prefixes() {
    let h = harness().await;
    let t = reader(&h).await;
    let search = r#""displayName:conf""#;
    unsupported(
        &list(&h, &t, &[("$search", search)], false).await,
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
    let cases: [(&str, &[&str]); 9] = [
        (r#""displayName:conf""#, &["room.adams@contoso.com"]),
        // displayName matches by words, in any order, each by its beginning ...
        (r#""displayName:adams""#, &["room.adams@contoso.com"]),
        (r#""displayName:room conf""#, &["room.adams@contoso.com"]),
        // ... but not inside a word.
        (r#""displayName:mith""#, &[]),
        // Other properties match as startsWith.
        (
            r#""mail:bob" OR "mail:carol""#,
            &["bob.jones@contoso.com", "carol@contoso.com"],
        ),
        (r#""mail:contoso""#, &[]),
        (
            r#""displayName:smith" OR ("userPrincipalName:room" AND "displayName:adams")"#,
            &["alice.smith@contoso.com", "room.adams@contoso.com"],
        ),
        (r#""givenName:Dave""#, &["dave.brown@fabrikam.com"]),
        (
            r#""department:sal" AND "displayName:bob""#,
            &["bob.jones@contoso.com"],
        ),
    ];
    for (s, expected) in cases {
        let r = list(&h, &t, &[("$search", s)], true).await;
        assert_eq!(upns(&r), expected, "search {s}");
        // $search alone needs only the header; $count=true adds the count.
        assert!(r.body.get("@odata.count").is_none());
    }
    let r = list(
        &h,
        &t,
        &[
            ("$search", r#""mail:bob" OR "mail:carol""#),
            ("$count", "true"),
        ],
        true,
    )
    .await;
    assert_eq!(r.body["@odata.count"], 2);
    // $search and $filter together: both must hold.
    let r = list(
        &h,
        &t,
        &[
            ("$search", r#""displayName:a""#),
            ("$filter", "department eq 'Sales'"),
        ],
        true,
    )
    .await;
    assert_eq!(upns(&r), ["alice.smith@contoso.com"]);

    for bad in [
        "displayName:conf",
        r#""conf""#,
        r#""displayName:a" or "mail:b""#,
        r#""displayName:a"#,
        r#"("displayName:a""#,
    ] {
        assert_error(
            &list(&h, &t, &[("$search", bad)], true).await,
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Invalid $search",
        );
    }
    unsupported(
        &list(&h, &t, &[("$search", r#""accountEnabled:true""#)], true).await,
        "property 'accountEnabled' of resource 'User'",
    );
}

#[tokio::test]
async fn top_sets_the_page_size_within_graphs_range() {
    let h = harness().await;
    let t = reader(&h).await;
    let r = list(&h, &t, &[("$top", "4")], false).await;
    assert_eq!(upns(&r).len(), 4);
    assert!(r.body["@odata.nextLink"]
        .as_str()
        .unwrap()
        .contains("$top=4&$skiptoken="));
    let r = list(&h, &t, &[("top", "6")], false).await;
    assert_eq!(upns(&r).len(), 6);
    assert!(r.body.get("@odata.nextLink").is_none());
    for bad in ["0", "1000", "-1"] {
        unsupported(
            &list(&h, &t, &[("$top", bad)], false).await,
            &format!("Invalid page size specified: '{bad}'. Must be between 1 and 999 inclusive."),
        );
    }
    assert_error(
        &list(&h, &t, &[("$top", "ten")], false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Invalid value 'ten' for $top query option",
    );
}

/// Follows `@odata.nextLink` from `first` until it is absent; returns every page's body.
async fn all_pages(h: &Harness, t: &str, first: &str, eventual: bool) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(uri) = next {
        let r = h
            .send_raw(
                "GET",
                &uri,
                Some(t),
                None,
                &[
                    ("host", "127.0.0.1:4321"),
                    (
                        "ConsistencyLevel",
                        if eventual { "eventual" } else { "none" },
                    ),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        next = r.body["@odata.nextLink"].as_str().map(|link| {
            let path = link
                .strip_prefix("http://127.0.0.1:4321")
                .unwrap_or_else(|| panic!("nextLink {link} is not on this emulator"));
            assert!(path.contains("$skiptoken="), "{link}");
            path.to_owned()
        });
        pages.push(r.body);
        assert!(pages.len() < 100, "paging does not end");
    }
    pages
}

fn ids(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap().iter())
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn paging_returns_every_user_exactly_once() {
    let many: Vec<Value> = (0..245)
        .map(|i| {
            json!({"userPrincipalName": format!("user{i:03}@contoso.com"),
                   "department": if i % 3 == 0 { "Ops" } else { "Dev" },
                   "displayName": format!("Person {}", (i * 7919) % 245)})
        })
        .collect();
    let h = Harness::seeded(Value::Array(many)).await;
    let t = reader(&h).await;
    let seeded: HashSet<String> = h
        .send("GET", "/_emulator/users", None, None)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();

    // Default page size: 100, 100, 45.
    let pages = all_pages(&h, &t, "/v1.0/users", false).await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p["value"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 100, 45]);
    let got = ids(&pages);
    assert_eq!(got.len(), 245);
    assert_eq!(got.iter().cloned().collect::<HashSet<_>>(), seeded);

    // $top is the page size; the filter, sort, select and count ride along in every nextLink.
    let first = url(
        "/beta/users",
        &[
            ("$filter", "department eq 'Ops'"),
            ("$orderby", "displayName desc"),
            ("$select", "id,displayName"),
            ("$count", "true"),
            ("$top", "7"),
        ],
    );
    let pages = all_pages(&h, &t, &first, true).await;
    assert_eq!(pages.len(), 12); // 82 users, 7 a page
    for p in &pages {
        assert_eq!(p["@odata.count"], 82);
        assert!(p["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/beta/$metadata#users(id,displayName)"));
    }
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p["value"].as_array().unwrap().iter())
        .map(|u| u["displayName"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(names.len(), 82);
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    assert_eq!(ids(&pages).into_iter().collect::<HashSet<_>>().len(), 82);
}

#[tokio::test]
async fn a_page_boundary_survives_users_added_or_removed_between_pages() {
    let many: Vec<Value> = (0..10)
        .map(|i| json!({"userPrincipalName": format!("u{i}@contoso.com")}))
        .collect();
    let h = Harness::seeded(Value::Array(many)).await;
    let t = reader(&h).await;
    let r = list(&h, &t, &[("$top", "4")], false).await;
    let page1 = upns(&r);
    let link = r.body["@odata.nextLink"].as_str().unwrap().to_owned();
    let next = link.strip_prefix("http://localhost").unwrap().to_owned();
    // A new user goes to the end; re-seeding u5 replaces it (a new user, also at the end).
    h.send(
        "POST",
        "/_emulator/users",
        None,
        Some(json!([{"userPrincipalName": "late@contoso.com"}, {"userPrincipalName": "u5@contoso.com"}])),
    )
    .await;
    let pages = all_pages(&h, &t, &next, false).await;
    let mut seen: Vec<String> = page1;
    for p in &pages {
        seen.extend(
            p["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["userPrincipalName"].as_str().unwrap().to_owned()),
        );
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a user came twice: {seen:?}");
    assert_eq!(seen.len(), 11);
    assert_eq!(seen.last().unwrap(), "u5@contoso.com");

    // A token is tied to its sort order and cannot be forged.
    let token = next.split("$skiptoken=").nth(1).unwrap();
    let r = list(
        &h,
        &t,
        &[("$orderby", "displayName"), ("$skiptoken", token)],
        false,
    )
    .await;
    assert_error(
        &r,
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        "$skiptoken",
    );
    let r = list(&h, &t, &[("$skiptoken", "garbage")], false).await;
    assert_error(
        &r,
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        "$skiptoken",
    );
}

#[tokio::test]
async fn select_picks_properties_and_refuses_unknown_ones() {
    let h = harness().await;
    let t = reader(&h).await;
    let r = list(
        &h,
        &t,
        &[(
            "$select",
            "id,DISPLAYNAME,city,proxyAddresses,accountEnabled",
        )],
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("#users(id,displayName,city,proxyAddresses,accountEnabled)"));
    let users = r.body["value"].as_array().unwrap();
    assert_eq!(
        users[0],
        json!({"id": ALICE, "displayName": "Alice Smith", "city": null, "proxyAddresses": [],
               "accountEnabled": true})
    );
    assert_eq!(users[2]["city"], "Paris");

    let r = list(&h, &t, &[("$select", "*")], false).await;
    assert_eq!(r.body["value"][0]["department"], "Sales");
    assert_eq!(r.body["value"][0]["onPremisesSyncEnabled"], Value::Null);

    assert_error(
        &list(&h, &t, &[("$select", "id,shoeSize")], false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    );
}

#[tokio::test]
async fn count_needs_the_header_and_is_ignored_without_it() {
    let h = harness().await;
    let t = reader(&h).await;
    // Graph documents that $count=true without ConsistencyLevel is silently ignored.
    let r = list(&h, &t, &[("$count", "true")], false).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.get("@odata.count").is_none());
    // With it, the count of all matches comes on every page.
    let r = list(&h, &t, &[("$count", "true"), ("$top", "2")], true).await;
    assert_eq!(r.body["@odata.count"], 6);
    assert_eq!(upns(&r).len(), 2);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["@odata.context", "@odata.count", "@odata.nextLink", "value"]
    );
    let r = list(&h, &t, &[("$count", "false")], true).await;
    assert!(r.body.get("@odata.count").is_none());
    assert_error(
        &list(&h, &t, &[("$count", "yes")], true).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Invalid value 'yes' for $count",
    );
}

#[tokio::test]
async fn orderby_sorts_by_display_name_or_upn_and_follows_the_advanced_rules() {
    let h = harness().await;
    let t = reader(&h).await;
    let names = |r: &Reply| -> Vec<String> {
        r.body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["displayName"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = list(&h, &t, &[("$orderby", "displayName")], false).await;
    assert_eq!(
        names(&r),
        [
            "Alice Smith",
            "Bob Jones",
            "Carol",
            "Conf Room Adams",
            "Dave Brown",
            "Eve"
        ]
    );
    let r = list(&h, &t, &[("$orderby", "displayName desc")], false).await;
    assert_eq!(names(&r)[0], "Eve");
    let r = list(&h, &t, &[("$orderby", "userPrincipalName desc")], false).await;
    assert_eq!(upns(&r)[0], "room.adams@contoso.com");

    // Sorting on other properties, on two at once, or with $filter outside an advanced query: refused.
    for q in [
        vec![("$orderby", "mail")],
        vec![("$orderby", "displayName,userPrincipalName")],
        vec![("$orderby", "createdDateTime")],
        vec![
            ("$orderby", "displayName"),
            ("$filter", "department eq 'Sales'"),
        ],
    ] {
        unsupported(
            &list(&h, &t, &q, false).await,
            "Sorting not supported for current query.",
        );
    }
    let r = list(
        &h,
        &t,
        &[
            ("$orderby", "displayName desc"),
            ("$filter", "department eq 'Sales'"),
            ("$count", "true"),
        ],
        true,
    )
    .await;
    assert_eq!(names(&r), ["Bob Jones", "Alice Smith"]);
    let r = list(
        &h,
        &t,
        &[("$orderby", "createdDateTime desc"), ("$count", "true")],
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_error(
        &list(&h, &t, &[("$orderby", "displayName sideways")], false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "$orderby",
    );
}

#[tokio::test]
async fn unknown_or_repeated_query_options_are_refused() {
    let h = harness().await;
    let t = reader(&h).await;
    unsupported(
        &list(&h, &t, &[("$skip", "2")], false).await,
        "The query option '$skip' is not supported on the users collection.",
    );
    unsupported(
        &list(&h, &t, &[("$apply", "x")], false).await,
        "'$apply' is not supported",
    );
    assert_error(
        &get(&h, &t, "/v1.0/users?$top=1&$TOP=2", false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Query option '$top' was specified more than once",
    );
    // A custom option (no `$`) is ignored, as OData does.
    let r = list(&h, &t, &[("tenant", "x")], false).await;
    assert_eq!(upns(&r).len(), 6);
}

#[tokio::test]
async fn expand_adds_empty_relationships_but_not_in_advanced_queries() {
    let h = harness().await;
    let t = reader(&h).await;
    let r = list(
        &h,
        &t,
        &[
            ("$expand", "memberOf($select=id),manager"),
            ("$select", "id"),
        ],
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["value"][0], json!({"id": ALICE, "memberOf": []}));
    assert_error(
        &list(&h, &t, &[("$expand", "friends")], false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "Could not find a property named 'friends'",
    );
    unsupported(
        &list(&h, &t, &[("$expand", "manager"), ("$count", "true")], true).await,
        "$expand is not supported in advanced queries",
    );
}

#[tokio::test]
async fn one_user_by_id_upn_or_key_and_404_when_absent() {
    let h = harness().await;
    let t = reader(&h).await;
    for path in [
        format!("/v1.0/users/{ALICE}"),
        "/v1.0/users/ALICE.SMITH%40contoso.com".to_owned(),
        "/v1.0/users('alice.smith@contoso.com')".to_owned(),
        format!("/beta/users/{ALICE}/"),
    ] {
        let r = get(&h, &t, &path, false).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert_eq!(r.body["id"], ALICE);
        assert_eq!(r.body["displayName"], "Alice Smith");
        assert!(r.body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("$metadata#users/$entity"));
    }
    let r = get(
        &h,
        &t,
        "/v1.0/users/eve_partner.com%23EXT%23%40contoso.com?$select=userType,mail",
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#users(userType,mail)/$entity"));
    assert_eq!(r.body["userType"], "Guest");
    assert_eq!(r.body.as_object().unwrap().len(), 3);

    assert_error(
        &get(&h, &t, "/v1.0/users/nobody@contoso.com", false).await,
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    );
    unsupported(
        &get(&h, &t, &format!("/v1.0/users/{ALICE}?$top=1"), false).await,
        "'$top' is not supported on a single user",
    );
    let r = h
        .send("POST", "/v1.0/users", Some(&t), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers["allow"], "GET");
}

#[tokio::test]
async fn permissions_and_me() {
    let h = harness().await;
    // No token: 401. A token for authentication methods only: 403, as Graph needs a user-read permission.
    let r = h.send("GET", "/v1.0/users", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let qr_only = h.admin().await;
    assert_error(
        &get(&h, &qr_only, "/v1.0/users", false).await,
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges",
    );
    let app = h.token(json!({"roles": ["User.Read.All"]})).await;
    assert_eq!(upns(&get(&h, &app, "/v1.0/users", false).await).len(), 6);
    let basic = h.token(json!({"scp": "User.ReadBasic.All"})).await;
    assert_eq!(
        get(&h, &basic, "/beta/users", false).await.status,
        StatusCode::OK
    );

    // User.Read reads oneself (by /me, id or UPN) and no one else.
    let alice = h
        .token(json!({"scp": "User.Read", "upn": "alice.smith@contoso.com"}))
        .await;
    let me = get(&h, &alice, "/v1.0/me?$select=id,mail", false).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["id"], ALICE);
    assert_eq!(me.body["mail"], "alice.smith@contoso.com");
    assert_eq!(
        get(&h, &alice, "/v1.0/users/alice.smith@contoso.com", false)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        get(&h, &alice, "/v1.0/users/bob.jones@contoso.com", false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&h, &alice, "/v1.0/users", false).await.status,
        StatusCode::FORBIDDEN
    );
    assert_error(
        &get(&h, &app, "/v1.0/me", false).await,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        "/me request is only valid with delegated authentication flow.",
    );
    // The QR code PIN routes under a user are unchanged (and need no user-read permission).
    let r = get(
        &h,
        &qr_only,
        &format!("/beta/users/{ALICE}/authentication/qrCodePinMethod"),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = get(
        &h,
        &qr_only,
        &format!("/beta/users/{ALICE}/authentication/fooMethod"),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn seeding_sets_properties_replaces_by_id_or_upn_and_checks_types() {
    let h = harness().await;
    let t = reader(&h).await;
    // One batch: a new user, one replacing carol by UPN, and two sharing an id (the later one wins).
    let r = h
        .send(
            "POST",
            "/_emulator/users",
            None,
            Some(json!([
                {"userPrincipalName": "carol@contoso.com", "department": "Finance"},
                {"id": "x1", "userPrincipalName": "first@contoso.com"},
                {"id": "X1", "userPrincipalName": "second@contoso.com", "givenName": null,
                 "businessPhones": ["+1 555 0100"], "createdDateTime": "2021-01-02T03:04:05Z"}
            ])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = get(&h, &t, "/beta/users", false).await;
    let all = upns(&r);
    assert_eq!(all.len(), 7);
    assert!(!all.contains(&"first@contoso.com".to_owned()));
    assert_eq!(&all[5..], ["carol@contoso.com", "second@contoso.com"]);
    let second = &r.body["value"][6];
    assert_eq!(second["givenName"], Value::Null);
    assert_eq!(second["displayName"], "Second");
    assert_eq!(second["businessPhones"], json!(["+1 555 0100"]));
    assert_eq!(second["createdDateTime"], "2021-01-02T03:04:05Z");
    assert_eq!(r.body["value"][5]["department"], "Finance");
    let r = list(
        &h,
        &t,
        &[("$filter", "createdDateTime le 2021-06-01T00:00:00Z")],
        false,
    )
    .await;
    assert_eq!(upns(&r), ["second@contoso.com"]);

    for bad in [
        json!({"userPrincipalName": "z@contoso.com", "displayName": 5}),
        json!({"userPrincipalName": "z@contoso.com", "accountEnabled": "yes"}),
        json!({"userPrincipalName": "z@contoso.com", "properties": {"DisplayName": "x"}}),
        json!({"userPrincipalName": "z@contoso.com", "createdDateTime": "yesterday"}),
    ] {
        let r = h.send("POST", "/_emulator/users", None, Some(bad)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
}

#[tokio::test]
async fn thousands_of_users_seed_and_page_cheaply() {
    let h = Harness::seeded(json!([])).await;
    let t = reader(&h).await;
    let batch = |from: usize| -> Value {
        Value::Array(
            (from..from + 5000)
                .map(|i| json!({"userPrincipalName": format!("bulk{i}@contoso.com")}))
                .collect(),
        )
    };
    let started = std::time::Instant::now();
    for from in [0, 5000, 0] {
        let r = h
            .send("POST", "/_emulator/users", None, Some(batch(from)))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let pages = all_pages(&h, &t, "/v1.0/users?$top=999&$select=id", false).await;
    assert_eq!(pages.len(), 11);
    assert_eq!(
        ids(&pages).into_iter().collect::<HashSet<_>>().len(),
        10_000
    );
    // A generous bound that only a quadratic seed or page would break, even in a debug build.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
