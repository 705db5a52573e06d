//! The command table as Rust reads it (the facts PowerShell alone uses, such as parameter types,
//! ConfirmImpact and type names, are left to the generator): one JSON file per command (`table/`), shared parameter
//! groups and the models. The PowerShell functions are generated from the same files
//! (tools/New-CommandFunctions.ps1), so a fact about a command is written once.

use std::collections::BTreeMap;

use once_cell::sync::Lazy;
use serde::Deserialize;
use serde_json::Value;

use crate::envelope::MgError;

include!(concat!(env!("OUT_DIR"), "/command_table.rs"));

const SHARED: &str = include_str!("shared-parameters.json");
const MODELS: &str = include_str!("models.json");

/// What a parameter is for, in the request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Fills `{key}` in the path template.
    Path(String),
    /// An object whose properties fill the path keys (`key` -> property name).
    Identity(BTreeMap<String, String>),
    BodyObject,
    BodyAdditional,
    /// One body property (its wire name).
    Body(String),
    /// An OData query option (`$select`, `$expand`), the values joined with commas.
    Query(String),
    /// A request header.
    Header(String),
    PassThru,
    /// A list's total limit (`-Top`): pages are followed until that many items came.
    Top,
    /// A list's page size (`-PageSize`).
    PageSize,
    /// Follow every page of a list (`-All`).
    All,
    /// `-CountVariable`: asks for `$count=true`; PowerShell sets the variable.
    CountVariable,
    Headers,
    Proxy,
    /// Handled by PowerShell only (ResponseHeadersVariable, Break, pipeline steps).
    Runtime,
}

/// `"all"`, or the names of the sets a parameter belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Sets {
    All(#[allow(dead_code)] String),
    Some(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    #[serde(default)]
    pub model: Option<String>,
    pub sets: Sets,
    pub role: Role,
}

impl Parameter {
    pub fn in_set(&self, set: &str) -> bool {
        match &self.sets {
            Sets::All(_) => true,
            Sets::Some(sets) => sets.iter().any(|s| s == set),
        }
    }

    /// Part of the expanded body (a body property or the additional properties).
    pub fn expands_body(&self) -> bool {
        matches!(self.role, Role::Body(_) | Role::BodyAdditional)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    pub model: String,
    pub example: String,
}

/// When a request whose answer was lost may be sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrySafe {
    Always,
    Never,
    /// Only when the body names this property (the PIN reset with its code).
    WhenBodyHas(String),
}

impl<'de> Deserialize<'de> for RetrySafe {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.as_str() {
            "always" => Ok(RetrySafe::Always),
            "never" => Ok(RetrySafe::Never),
            other => other
                .strip_prefix("whenBodyHas:")
                .map(|wire| RetrySafe::WhenBodyHas(wire.to_string()))
                .ok_or_else(|| serde::de::Error::custom(format!("retrySafe '{other}'"))),
        }
    }
}

/// What a 2xx status yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Yield {
    Model,
    PassThru,
}

/// One path template, or one per parameter set (a list set and a single-item set differ).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Paths {
    One(String),
    PerSet(BTreeMap<String, String>),
}

/// The sets whose answer is a page of a collection (`value`, `@odata.nextLink`), and its sizes.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    pub sets: Vec<String>,
    pub default_page_size: u32,
    pub max_page_size: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    pub name: String,
    pub method: String,
    pub api: String,
    pub path: Paths,
    pub parameter_sets: Vec<String>,
    pub default_parameter_set: String,
    #[serde(default)]
    pub what_if_target: String,
    pub access: String,
    pub retry_safe: RetrySafe,
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub shared_parameters: Option<String>,
    #[serde(default)]
    pub body: Option<Body>,
    pub output: BTreeMap<u16, Yield>,
    #[serde(default)]
    pub output_model: Option<String>,
    #[serde(default)]
    pub output_requires: Vec<String>,
    #[serde(default)]
    pub collection: Option<Collection>,
    /// Said when a request that may have changed something got no usable answer.
    #[serde(default)]
    pub lost_answer_note: Option<String>,
}

impl Command {
    /// The path template of a parameter set.
    pub fn path(&self, set: &str) -> &str {
        match &self.path {
            Paths::One(path) => path,
            Paths::PerSet(paths) => paths
                .get(set)
                .or_else(|| paths.get(&self.default_parameter_set))
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    /// The collection paging of a set whose answer is a list page, if it is one.
    pub fn collection_in(&self, set: &str) -> Option<&Collection> {
        self.collection
            .as_ref()
            .filter(|c| c.sets.iter().any(|s| s == set))
    }

    /// A read (GET): it never spends the write quota (scheduler.rs).
    pub fn is_read(&self) -> bool {
        self.access == "read"
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// `Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin`:
    /// the class name the official error ids end with.
    pub fn cmdlet_class(&self) -> String {
        let namespace = if self.api == "beta" {
            "Microsoft.Graph.Beta.PowerShell.Cmdlets"
        } else {
            "Microsoft.Graph.PowerShell.Cmdlets"
        };
        format!("{namespace}.{}", self.name.replace('-', ""))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    pub name: String,
    pub wire: String,
    /// `string`, `pin`, `datetime`, `boolean`, `int`, `bytes` or a model name.
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub secret: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// Its top-level objects carry the user the request was for (`UserId`), so they pipe into the
    /// other commands of the family; a user object has its own `Id`.
    #[serde(default)]
    pub with_user_id: bool,
    /// Another model whose properties this one has (the beta and v1.0 user differ only in type names).
    #[serde(default)]
    pub properties_of: Option<String>,
    #[serde(default)]
    pub properties: Vec<Property>,
}

impl Model {
    /// The property with this wire or PowerShell name, matched without regard to case.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties
            .iter()
            .find(|p| p.wire.eq_ignore_ascii_case(key))
            .or_else(|| {
                self.properties
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(key))
            })
    }
}

pub struct Table {
    pub commands: Vec<Command>,
    pub models: BTreeMap<String, Model>,
}

fn load() -> Result<Table, String> {
    let shared: BTreeMap<String, Vec<Parameter>> =
        serde_json::from_str(SHARED).map_err(|e| format!("shared-parameters.json: {e}"))?;
    let mut models: BTreeMap<String, Model> =
        serde_json::from_str(MODELS).map_err(|e| format!("models.json: {e}"))?;
    let borrowed: Vec<(String, String)> = models
        .iter()
        .filter_map(|(name, m)| m.properties_of.clone().map(|of| (name.clone(), of)))
        .collect();
    for (name, of) in borrowed {
        let properties = models
            .get(&of)
            .ok_or_else(|| format!("models.json: '{name}' takes the properties of unknown '{of}'"))?
            .properties
            .clone();
        if let Some(m) = models.get_mut(&name) {
            m.properties = properties;
        }
    }
    let mut commands = Vec::new();
    for (file, text) in TABLE_FILES {
        let mut command: Command =
            serde_json::from_str(text).map_err(|e| format!("table/{file}: {e}"))?;
        if let Some(group) = &command.shared_parameters {
            let extra = shared
                .get(group)
                .ok_or_else(|| format!("table/{file}: no shared parameter group '{group}'"))?;
            command.parameters.extend(extra.iter().cloned());
        }
        check(&command, &models).map_err(|e| format!("table/{file}: {e}"))?;
        commands.push(command);
    }
    Ok(Table { commands, models })
}

/// What the engine relies on, checked once: a table entry that breaks it fails every call of
/// that command with a message naming the entry, not with a wrong request.
fn check(command: &Command, models: &BTreeMap<String, Model>) -> Result<(), String> {
    let model_known = |m: &String| {
        models
            .contains_key(m)
            .then_some(())
            .ok_or_else(|| format!("unknown model '{m}'"))
    };
    if !command
        .parameter_sets
        .contains(&command.default_parameter_set)
    {
        return Err("the default set is not one of its sets".into());
    }
    if let Some(body) = &command.body {
        model_known(&body.model)?;
    }
    if let Some(model) = &command.output_model {
        model_known(model)?;
    }
    for p in &command.parameters {
        if let Some(m) = &p.model {
            model_known(m)?;
        }
        if let Role::Path(key) = &p.role {
            let placeholder = format!("{{{key}}}");
            if let Some(set) = command
                .parameter_sets
                .iter()
                .find(|s| p.in_set(s) && !command.path(s).contains(&placeholder))
            {
                return Err(format!(
                    "-{} fills '{placeholder}', which the path of set '{set}' lacks",
                    p.name
                ));
            }
        }
    }
    Ok(())
}

static TABLE: Lazy<Result<Table, String>> = Lazy::new(load);

pub fn table() -> Result<&'static Table, MgError> {
    TABLE
        .as_ref()
        .map_err(|e| MgError::Internal(format!("The command table is malformed: {e}")))
}

/// The command named in an operation (`command`).
pub fn command(name: &str) -> Result<&'static Command, MgError> {
    table()?
        .commands
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            MgError::invalid(
                "UnknownCommand",
                "command",
                format!("The command table has no command named '{name}'."),
            )
        })
}

/// The command an operation names in its `command` field.
pub fn command_of(input: &serde_json::Map<String, Value>) -> Result<&'static Command, MgError> {
    match input.get("command") {
        Some(Value::String(name)) => command(name),
        _ => Err(MgError::invalid(
            "UnknownCommand",
            "command",
            "The operation needs 'command', the name of a command in the table.",
        )),
    }
}

pub fn model(name: &str) -> Result<&'static Model, MgError> {
    table()?
        .models
        .get(name)
        .ok_or_else(|| MgError::Internal(format!("The command table has no model '{name}'.")))
}

/// Every model property marked secret, by wire name (redact.rs masks them in every body shown).
pub fn secret_wire_names() -> Vec<&'static str> {
    match table() {
        Ok(t) => t
            .models
            .values()
            .flat_map(|m| m.properties.iter())
            .filter(|p| p.secret)
            .map(|p| p.wire.as_str())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_holds_the_family() {
        let t = table().unwrap();
        assert_eq!(t.commands.len(), TABLE_FILES.len());
        let pin = command("Update-MgBetaUserAuthenticationQrCodePinMethodPin").unwrap();
        assert_eq!(pin.method, "PATCH");
        assert!(pin.parameter("Headers").is_some(), "shared group merged");
        assert_eq!(
            pin.retry_safe,
            RetrySafe::WhenBodyHas("code".into()),
            "{:?}",
            pin.retry_safe
        );
        assert!(secret_wire_names().contains(&"code"));
        assert!(secret_wire_names().contains(&"binaryValue"));
        assert_eq!(
            pin.cmdlet_class(),
            "Microsoft.Graph.Beta.PowerShell.Cmdlets.UpdateMgBetaUserAuthenticationQrCodePinMethodPin"
        );
        assert!(command("Nope").is_err());
    }

    #[test]
    fn a_broken_entry_is_named() {
        let models: BTreeMap<String, Model> = serde_json::from_str(MODELS).unwrap();
        let mut c: Command = serde_json::from_str(TABLE_FILES[0].1).unwrap();
        c.output_model = Some("nothing".into());
        assert!(check(&c, &models).unwrap_err().contains("unknown model"));
    }
}
