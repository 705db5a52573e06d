//! A loopback-only stand-in for the Microsoft Graph QR code PIN endpoints and user listing, used by the module's
//! tests and demo.
//!
//! `app` builds the whole router: `/_emulator/*` is the unauthenticated control API, everything else is treated
//! as a Graph request.

pub mod auth;
pub mod behaviour;
pub mod control_routes;
pub mod fault_answers;
pub mod faults;
pub mod graph_errors;
pub mod graph_routes;
pub mod login_control;
pub mod login_routes;
pub mod login_state;
pub mod odata;
pub mod qr_parts;
pub mod state;
pub mod throttle;
pub mod tls;
pub mod users;

use axum::Router;

pub use state::{AppState, Shared};

pub fn app(state: Shared) -> Router {
    Router::new()
        .nest("/_emulator", control_routes::router())
        .merge(login_routes::router())
        .fallback(graph_routes::graph_entry)
        .with_state(state)
}
