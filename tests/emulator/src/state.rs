//! In-memory state shared by the Graph and control routes.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use parking_lot::Mutex;
use rand::Rng;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Graph accepts PIN lengths in this range; the tenant policy picks one value inside it.
pub const PIN_LENGTH_RANGE: std::ops::RangeInclusive<u32> = 8..=20;
pub const DEFAULT_PIN_LENGTH: u32 = 8;

#[derive(Clone, Debug)]
pub struct Pin {
    pub code: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub force_change: bool,
}

/// A standard or temporary QR code. Its image is never kept: Graph returns it only when the code is created.
#[derive(Clone, Debug)]
pub struct QrCode {
    pub id: String,
    pub created: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub expire: DateTime<Utc>,
}

impl QrCode {
    pub fn new(start: DateTime<Utc>, expire: DateTime<Utc>) -> Self {
        QrCode {
            id: new_guid(),
            created: now_ticks(),
            start,
            expire,
        }
    }

    /// Active until its expiry has passed.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.expire > now
    }

    fn control_view(&self) -> Value {
        json!({
            "id": self.id,
            "createdDateTime": graph_timestamp(self.created),
            "startDateTime": graph_timestamp(self.start),
            "expireDateTime": graph_timestamp(self.expire),
        })
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub upn: String,
    pub has_qr_method: bool,
    /// Id of the qrCodePinMethod resource, stable while the method exists.
    pub method_id: String,
    /// The method's parts; only meaningful while `has_qr_method` is true.
    pub standard_qr_code: Option<QrCode>,
    pub temporary_qr_code: Option<QrCode>,
    pub pin: Option<Pin>,
    /// Successful PIN PATCHes applied to this user; lets tests assert exactly-once behaviour.
    pub applied_updates: u64,
    /// The directory properties `GET /users` serves (users.rs); defaults derived from the UPN by `User::new`.
    pub profile: Profile,
    /// Creation order, the default listing order and the tie-breaker of every other order; set by the store.
    pub seq: u64,
}

/// The common Graph user properties the emulator models, plus any others a test seeds (`extra`).
#[derive(Clone, Debug)]
pub struct Profile {
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub mail: Option<String>,
    pub mail_nickname: Option<String>,
    pub account_enabled: Option<bool>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub user_type: Option<String>,
    pub mobile_phone: Option<String>,
    pub office_location: Option<String>,
    pub preferred_language: Option<String>,
    pub business_phones: Vec<String>,
    pub created: DateTime<Utc>,
    /// Other Graph properties by their exact name (e.g. `city`), served as seeded.
    pub extra: Map<String, Value>,
}

impl Profile {
    /// Defaults from the UPN: `alice.smith@contoso.com` is "Alice Smith" (given name Alice, surname Smith),
    /// mail = UPN, enabled member. A guest UPN (`bob_fabrikam.com#EXT#@contoso.com`) is a Guest whose mail is
    /// the original address `bob@fabrikam.com`.
    pub fn from_upn(upn: &str) -> Self {
        let (local, _) = upn.split_once('@').unwrap_or((upn, ""));
        let guest = upn.to_ascii_uppercase().contains("#EXT#");
        let (name_part, mail) = if guest {
            let before = local.split('#').next().unwrap_or(local);
            match before.rsplit_once('_') {
                Some((name, domain)) => (name.to_owned(), format!("{name}@{domain}")),
                None => (before.to_owned(), before.to_owned()),
            }
        } else {
            (local.to_owned(), upn.to_owned())
        };
        let words: Vec<String> = name_part
            .split(['.', '_', '-'])
            .filter(|w| !w.is_empty())
            .map(capitalise)
            .collect();
        let display = if words.is_empty() {
            upn.to_owned()
        } else {
            words.join(" ")
        };
        Profile {
            display_name: Some(display),
            given_name: words.first().cloned(),
            surname: if words.len() > 1 {
                words.last().cloned()
            } else {
                None
            },
            mail: Some(mail),
            mail_nickname: Some(local.to_owned()),
            account_enabled: Some(true),
            department: None,
            job_title: None,
            user_type: Some(if guest { "Guest" } else { "Member" }.to_owned()),
            mobile_phone: None,
            office_location: None,
            preferred_language: None,
            business_phones: Vec::new(),
            created: now_ticks(),
            extra: Map::new(),
        }
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl User {
    pub fn new(id: String, upn: String, has_qr_method: bool) -> Self {
        let profile = Profile::from_upn(&upn);
        User {
            id,
            upn,
            has_qr_method,
            method_id: new_guid(),
            standard_qr_code: None,
            temporary_qr_code: None,
            pin: None,
            applied_updates: 0,
            profile,
            seq: 0,
        }
    }

    /// The control API's view: everything, including the PIN code.
    pub fn control_view(&self) -> Value {
        let p = &self.profile;
        json!({
            "id": self.id,
            "userPrincipalName": self.upn,
            "hasQrCodeMethod": self.has_qr_method,
            "pin": self.pin.as_ref().map(|p| json!({
                "code": p.code,
                "createdDateTime": graph_timestamp(p.created),
                "updatedDateTime": graph_timestamp(p.updated),
                "forceChangePinNextSignIn": p.force_change,
            })),
            "standardQRCode": self.standard_qr_code.as_ref().map(QrCode::control_view),
            "temporaryQRCode": self.temporary_qr_code.as_ref().map(QrCode::control_view),
            "appliedUpdates": self.applied_updates,
            "displayName": p.display_name,
            "givenName": p.given_name,
            "surname": p.surname,
            "mail": p.mail,
            "accountEnabled": p.account_enabled,
            "department": p.department,
            "jobTitle": p.job_title,
            "userType": p.user_type,
        })
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: serde_json::Map<String, Value>,
    pub body: String,
    pub status: u16,
    #[serde(rename = "receivedAt")]
    pub received_at: String,
}

#[derive(Debug)]
pub struct Store {
    pub users: Vec<User>,
    pub pin_length: u32,
    pub log: Vec<LogEntry>,
    pub next_seq: u64,
    /// Counts resets, so a request that outlives one does not log into the next test's log.
    pub generation: u64,
    /// Lower-cased id and UPN -> position in `users`, so lookups and seeding stay cheap with thousands of users.
    /// Kept by `upsert_users`, the only place that adds or removes users.
    by_id: HashMap<String, usize>,
    by_upn: HashMap<String, usize>,
    next_user_seq: u64,
    /// Names of the extra properties any seeded user carries (users.rs accepts them in `$select`).
    pub extra_property_names: HashSet<String>,
}

impl Store {
    pub fn new(pin_length: u32) -> Self {
        Store {
            users: Vec::new(),
            pin_length,
            log: Vec::new(),
            next_seq: 1,
            generation: 0,
            by_id: HashMap::new(),
            by_upn: HashMap::new(),
            next_user_seq: 1,
            extra_property_names: HashSet::new(),
        }
    }

    /// Graph resolves `{id}` as either the object id or the UPN, ignoring case.
    pub fn find_user(&self, key: &str) -> Option<usize> {
        let key = key.to_lowercase();
        self.by_id
            .get(&key)
            .or_else(|| self.by_upn.get(&key))
            .copied()
    }

    /// Adds a user, replacing any existing one that shares its id or UPN.
    pub fn upsert_user(&mut self, user: User) {
        self.upsert_users(vec![user]);
    }

    /// Adds users in order, as if each were upserted in turn: a user replaces every earlier one (already stored
    /// or earlier in `batch`) that shares its id or its UPN, and goes to the end. One pass whatever the sizes.
    pub fn upsert_users(&mut self, batch: Vec<User>) {
        // Walking backwards, a user survives unless a later one shares its id or UPN. Every user's keys count,
        // survivor or not: a user that was replaced had still removed what it replaced.
        let mut ids = HashSet::new();
        let mut upns = HashSet::new();
        let mut keep = vec![false; batch.len()];
        for (i, u) in batch.iter().enumerate().rev() {
            let id = u.id.to_lowercase();
            let upn = u.upn.to_lowercase();
            keep[i] = !ids.contains(&id) && !upns.contains(&upn);
            ids.insert(id);
            upns.insert(upn);
        }
        let replaces = self
            .users
            .iter()
            .any(|u| ids.contains(&u.id.to_lowercase()) || upns.contains(&u.upn.to_lowercase()));
        if replaces {
            self.users.retain(|u| {
                !ids.contains(&u.id.to_lowercase()) && !upns.contains(&u.upn.to_lowercase())
            });
            self.by_id.clear();
            self.by_upn.clear();
            for (i, u) in self.users.iter().enumerate() {
                self.by_id.insert(u.id.to_lowercase(), i);
                self.by_upn.insert(u.upn.to_lowercase(), i);
            }
        }
        for (mut user, kept) in batch.into_iter().zip(keep) {
            if !kept {
                continue;
            }
            user.seq = self.next_user_seq;
            self.next_user_seq += 1;
            self.extra_property_names
                .extend(user.profile.extra.keys().cloned());
            let i = self.users.len();
            self.by_id.insert(user.id.to_lowercase(), i);
            self.by_upn.insert(user.upn.to_lowercase(), i);
            self.users.push(user);
        }
    }

    /// Clears users and the log and restores the policy; the signing key lives outside the store and survives.
    pub fn reset(&mut self, pin_length: u32) {
        let generation = self.generation + 1;
        *self = Store::new(pin_length);
        self.generation = generation;
    }
}

pub struct AppState {
    pub store: Mutex<Store>,
    /// Per-run HMAC key: tokens minted by one run never validate in another.
    pub signing_key: [u8; 32],
    /// The PIN length a reset restores: the CLI's `--pin-length`, 8 unless told otherwise.
    pub default_pin_length: u32,
    /// Latency, write quota, injected faults and counters (behaviour.rs).
    pub behaviour: crate::behaviour::Behaviour,
    /// Tenants, apps, identities and sign-in state of the login endpoints (login_state.rs).
    pub login: crate::login_state::LoginState,
    /// Set when the binary serves HTTPS, so absolute links (`@odata.nextLink`) name the right scheme.
    pub https: AtomicBool,
}

pub type Shared = Arc<AppState>;

impl AppState {
    pub fn new(default_pin_length: u32) -> Shared {
        let mut key = [0u8; 32];
        rand::rng().fill(&mut key);
        Arc::new(AppState {
            store: Mutex::new(Store::new(default_pin_length)),
            signing_key: key,
            default_pin_length,
            behaviour: Default::default(),
            login: Default::default(),
            https: AtomicBool::new(false),
        })
    }
}

pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Current time at Graph's resolution (100 ns ticks).
pub fn now_ticks() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(7)
}

/// `2025-03-04T22:45:37.2605385Z`: chrono has no 7-digit fraction specifier, so build it by hand.
pub fn graph_timestamp(t: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

pub fn random_digits(len: u32) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}
