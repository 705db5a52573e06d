//! Clouds: the four built-in environments plus user-defined ones (`Add-MgEnvironment`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use once_cell::sync::Lazy;
use parking_lot::RwLock;
use serde_json::{json, Value};

use crate::envelope::MgError;

/// One cloud: where to sign in and where Graph lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub azure_ad_endpoint: String,
    pub graph_endpoint: String,
    pub built_in: bool,
}

impl Environment {
    fn built_in(name: &str, aad: &str, graph: &str) -> Self {
        Environment {
            name: name.into(),
            azure_ad_endpoint: aad.into(),
            graph_endpoint: graph.into(),
            built_in: true,
        }
    }

    /// `{Name, AzureADEndpoint, GraphEndpoint, Type}`.
    pub fn to_json(&self) -> Value {
        json!({
            "Name": self.name,
            "AzureADEndpoint": self.azure_ad_endpoint,
            "GraphEndpoint": self.graph_endpoint,
            "Type": if self.built_in { "Built-in" } else { "User-defined" },
        })
    }
}

/// Built-in clouds are fixed: `what` completes "... cannot be {what}.".
fn refuse_built_in(name: &str, what: &str) -> Result<(), MgError> {
    match built_ins()
        .into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(name))
    {
        Some(b) => Err(MgError::invalid(
            "BuiltInEnvironment",
            "Name",
            format!(
                "Name: '{}' is a built-in environment and cannot be {what}.",
                b.name
            ),
        )),
        None => Ok(()),
    }
}

/// The built-in clouds, in the order Get-MgEnvironment lists them.
pub fn built_ins() -> Vec<Environment> {
    vec![
        Environment::built_in(
            "Global",
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
        ),
        Environment::built_in(
            "China",
            "https://login.chinacloudapi.cn",
            "https://microsoftgraph.chinacloudapi.cn",
        ),
        Environment::built_in(
            "USGov",
            "https://login.microsoftonline.us",
            "https://graph.microsoft.us",
        ),
        Environment::built_in(
            "USGovDoD",
            "https://login.microsoftonline.us",
            "https://dod-graph.microsoft.us",
        ),
    ]
}

/// True for `localhost`, `127.0.0.0/8` and `::1` (also `::ffff:127.x.y.z`).
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.');
            d.eq_ignore_ascii_case("localhost")
        }
        url::Host::Ipv4(ip) => is_loopback_ip(IpAddr::V4(*ip)),
        url::Host::Ipv6(ip) => is_loopback_ip(IpAddr::V6(*ip)),
    }
}

fn is_loopback_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] == 127,
        IpAddr::V6(v6) => {
            v6 == Ipv6Addr::LOCALHOST
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4: Ipv4Addr| v4.octets()[0] == 127)
        }
    }
}

/// Checks an endpoint URL and returns it normalised (no trailing slash).
/// `https://` is required; `http://` is allowed only for loopback hosts.
pub fn normalize_endpoint(parameter: &str, raw: &str) -> Result<String, MgError> {
    let bad = |why: &str| {
        MgError::invalid(
            "InvalidEndpoint",
            parameter,
            format!("{parameter}: '{raw}' {why}"),
        )
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(MgError::invalid(
            "InvalidEndpoint",
            parameter,
            format!("{parameter} cannot be empty. Pass an absolute https:// URL."),
        ));
    }
    let url = url::Url::parse(trimmed).map_err(|e| {
        bad(&format!(
            "is not an absolute URL ({e}). Pass an absolute https:// URL."
        ))
    })?;
    let host = url
        .host()
        .ok_or_else(|| bad("has no host name. Pass an absolute https:// URL."))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&host) => {}
        "http" => {
            return Err(bad(
                "uses http://, which is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]). Use https://.",
            ))
        }
        _ => return Err(bad("must use https://.")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not contain a user name or password."));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not contain a query string or fragment."));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The environment table: built-ins are fixed, user-defined ones can be added and removed.
#[derive(Debug, Default)]
pub struct Registry {
    user_defined: RwLock<Vec<Environment>>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Built-ins first, then user-defined ones in the order they were added.
    pub fn list(&self) -> Vec<Environment> {
        let mut all = built_ins();
        all.extend(self.user_defined.read().iter().cloned());
        all
    }

    /// Looks a name up, case-insensitively.
    pub fn find(&self, name: &str) -> Option<Environment> {
        let name = name.trim();
        self.list()
            .into_iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Adds (or replaces) a user-defined environment.
    pub fn add(&self, name: &str, aad: &str, graph: &str) -> Result<Environment, MgError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(MgError::invalid(
                "InvalidEnvironmentName",
                "Name",
                "Name must be a non-empty environment name without control characters.",
            ));
        }
        refuse_built_in(name, "replaced. Choose another name")?;
        let env = Environment {
            name: name.to_string(),
            azure_ad_endpoint: normalize_endpoint("AzureADEndpoint", aad)?,
            graph_endpoint: normalize_endpoint("GraphEndpoint", graph)?,
            built_in: false,
        };
        let mut table = self.user_defined.write();
        match table.iter_mut().find(|e| e.name.eq_ignore_ascii_case(name)) {
            Some(existing) => *existing = env.clone(),
            None => table.push(env.clone()),
        }
        Ok(env)
    }

    /// Removes a user-defined environment and returns it.
    pub fn remove(&self, name: &str) -> Result<Environment, MgError> {
        let name = name.trim();
        refuse_built_in(name, "removed")?;
        let mut table = self.user_defined.write();
        match table.iter().position(|e| e.name.eq_ignore_ascii_case(name)) {
            Some(i) => Ok(table.remove(i)),
            None => Err(MgError::invalid(
                "EnvironmentNotFound",
                "Name",
                format!("Name: there is no environment named '{name}'. Run Get-MgEnvironment to list them."),
            )),
        }
    }
}

/// The process-wide table.
pub static REGISTRY: Lazy<Registry> = Lazy::new(Registry::new);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_are_listed_with_exact_endpoints() {
        let r = Registry::new();
        let names: Vec<_> = r.list().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["Global", "China", "USGov", "USGovDoD"]);
        let dod = r.find("usgovdod").unwrap();
        assert_eq!(dod.azure_ad_endpoint, "https://login.microsoftonline.us");
        assert_eq!(dod.graph_endpoint, "https://dod-graph.microsoft.us");
        assert_eq!(r.find("GLOBAL").unwrap().to_json()["Type"], "Built-in");
        assert_eq!(
            r.find("china").unwrap().graph_endpoint,
            "https://microsoftgraph.chinacloudapi.cn"
        );
    }

    #[test]
    fn loopback_http_is_allowed() {
        for ok in [
            "http://localhost:5000",
            "http://LOCALHOST:5000/",
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://[::1]:9000/",
        ] {
            assert!(normalize_endpoint("GraphEndpoint", ok).is_ok(), "{ok}");
        }
        assert_eq!(
            normalize_endpoint("GraphEndpoint", "http://127.0.0.1:8080///").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_endpoint("GraphEndpoint", "https://graph.contoso.com/proxy/").unwrap(),
            "https://graph.contoso.com/proxy"
        );
    }

    #[test]
    fn non_loopback_http_and_junk_are_refused() {
        for bad in [
            "http://graph.microsoft.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "http://128.0.0.1",
            "ftp://localhost",
            "graph.microsoft.com",
            "",
            "https://user:pw@graph.microsoft.com",
            "https://graph.microsoft.com/?x=1",
        ] {
            let e = normalize_endpoint("GraphEndpoint", bad).unwrap_err();
            assert_eq!(e.kind(), "invalid_argument", "{bad}");
        }
        let msg = normalize_endpoint("GraphEndpoint", "http://graph.microsoft.com")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("loopback"), "{msg}");
    }

    #[test]
    fn add_replace_remove() {
        let r = Registry::new();
        let e = r
            .add("Emu", "http://127.0.0.1:1/", "http://127.0.0.1:2/")
            .unwrap();
        assert_eq!(e.graph_endpoint, "http://127.0.0.1:2");
        assert_eq!(e.to_json()["Type"], "User-defined");
        r.add(
            "emu",
            "https://login.example.com",
            "https://graph.example.com",
        )
        .unwrap();
        assert_eq!(r.list().len(), 5);
        assert_eq!(
            r.find("EMU").unwrap().graph_endpoint,
            "https://graph.example.com"
        );
        assert_eq!(r.remove("EMU").unwrap().name, "emu");
        assert!(r.remove("emu").is_err());
        assert_eq!(r.list().len(), 4);
    }

    #[test]
    fn built_in_names_are_protected() {
        let r = Registry::new();
        for name in ["Global", "global", "USGOV", "China", "USGovDoD"] {
            let e = r
                .add(name, "https://a.example.com", "https://b.example.com")
                .unwrap_err();
            assert!(
                matches!(e, MgError::InvalidArgument { ref error_id, .. } if error_id == "BuiltInEnvironment")
            );
            assert!(r.remove(name).is_err());
        }
        assert!(r
            .add(" ", "https://a.example.com", "https://b.example.com")
            .is_err());
    }
}
