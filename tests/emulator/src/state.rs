//! In-memory state shared by the Graph and control routes.

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use parking_lot::Mutex;
use rand::Rng;
use serde::Serialize;
use serde_json::{json, Value};

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
}

impl User {
    pub fn new(id: String, upn: String, has_qr_method: bool) -> Self {
        User {
            id,
            upn,
            has_qr_method,
            method_id: new_guid(),
            standard_qr_code: None,
            temporary_qr_code: None,
            pin: None,
            applied_updates: 0,
        }
    }

    /// The control API's view: everything, including the PIN code.
    pub fn control_view(&self) -> Value {
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
}

impl Store {
    pub fn new(pin_length: u32) -> Self {
        Store {
            users: Vec::new(),
            pin_length,
            log: Vec::new(),
            next_seq: 1,
            generation: 0,
        }
    }

    /// Graph resolves `{id}` as either the object id or the UPN, ignoring case.
    pub fn find_user(&self, key: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.id.eq_ignore_ascii_case(key) || u.upn.eq_ignore_ascii_case(key))
    }

    /// Adds a user, replacing any existing one that shares its id or UPN.
    pub fn upsert_user(&mut self, user: User) {
        self.users.retain(|u| {
            !u.id.eq_ignore_ascii_case(&user.id) && !u.upn.eq_ignore_ascii_case(&user.upn)
        });
        self.users.push(user);
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
