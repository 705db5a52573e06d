//! OData query options for emulated collections, generic over the entity type: `$filter`, `$search`, `$orderby`,
//! `$select`, `$expand`, `$top`, `$count`, `$skiptoken`, with the directory rules of Graph's advanced queries
//! (`ConsistencyLevel: eventual` and `$count=true`). An entity type describes itself with a `Schema` (which
//! property supports which operator, by default or only in advanced queries); users.rs is the first one.

use std::cmp::Ordering;
use std::collections::HashSet;

use axum::http::request::Parts;
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use crate::graph_errors::GraphError;

/// Graph's documented message when an operator needs the advanced query parameters.
pub fn needs_advanced(operator: &str) -> GraphError {
    unsupported(format!(
        "Operator '{operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information"
    ))
}

pub fn unsupported(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", message)
}

pub fn sorting_not_supported() -> GraphError {
    unsupported("Sorting not supported for current query.")
}

/// Whether an operator works on a property: always, only in advanced queries, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    No,
    Default,
    Advanced,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    Bool,
    Time,
    StrList,
}

impl Kind {
    fn edm(self) -> &'static str {
        match self {
            Kind::Str => "Edm.String",
            Kind::Bool => "Edm.Boolean",
            Kind::Time => "Edm.DateTimeOffset",
            Kind::StrList => "Collection(Edm.String)",
        }
    }
}

/// How `$search` matches a property: by words (displayName, description) or as a prefix (the rest).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchMode {
    No,
    Prefix,
    Tokens,
}

/// One modelled property and what `$filter`/`$orderby`/`$search` may do with it. `ne` and `not` are derived:
/// advanced-only wherever `eq` works, as Graph documents for directory objects.
#[derive(Debug)]
pub struct PropSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub eq: Cap,
    pub in_: Cap,
    pub ge: Cap,
    pub le: Cap,
    pub starts: Cap,
    pub ends: Cap,
    /// `eq null` / `ne null`.
    pub null: Cap,
    pub order: Cap,
    pub search: SearchMode,
}

/// What the emulator allows on properties it does not model (served as seeded, else null or `[]`).
const OTHER: PropSpec = PropSpec {
    name: "",
    kind: Kind::Str,
    eq: Cap::Default,
    in_: Cap::Default,
    ge: Cap::Default,
    le: Cap::Default,
    starts: Cap::Default,
    ends: Cap::No,
    null: Cap::Advanced,
    order: Cap::No,
    search: SearchMode::Prefix,
};

pub struct Schema {
    /// `user` -> `microsoft.graph.user` in messages.
    pub type_name: &'static str,
    /// `User` in "... of resource 'User'." messages.
    pub resource: &'static str,
    pub props: &'static [PropSpec],
    /// Other properties of the type, not modelled: (name, is a collection).
    pub others: &'static [(&'static str, bool)],
    /// Navigation properties `$expand` accepts: (name, is a collection).
    pub navigations: &'static [(&'static str, bool)],
}

/// A property named in a query, resolved against the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prop {
    Modelled(usize),
    /// An unmodelled property by its canonical name.
    Other(String),
}

impl Schema {
    /// Property names match case-insensitively, as Graph's do (`startsWith(DisplayName,'a')` works).
    pub fn resolve(&self, name: &str, extras: &HashSet<String>) -> Option<Prop> {
        if let Some(i) = self
            .props
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(name))
        {
            return Some(Prop::Modelled(i));
        }
        if let Some((n, _)) = self
            .others
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return Some(Prop::Other((*n).to_owned()));
        }
        extras
            .iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(|n| Prop::Other(n.clone()))
    }

    pub fn name<'a>(&'a self, prop: &'a Prop) -> &'a str {
        match prop {
            Prop::Modelled(i) => self.props[*i].name,
            Prop::Other(n) => n,
        }
    }

    fn spec(&self, prop: &Prop) -> &PropSpec {
        match prop {
            Prop::Modelled(i) => &self.props[*i],
            Prop::Other(_) => &OTHER,
        }
    }

    /// Whether an unmodelled property is a collection (served as `[]` when not seeded).
    pub fn is_collection(&self, name: &str) -> bool {
        self.others.iter().any(|(n, c)| *c && *n == name)
    }

    pub fn not_found(&self, name: &str) -> GraphError {
        GraphError::bad_request(format!(
            "Could not find a property named '{name}' on type 'microsoft.graph.{}'.",
            self.type_name
        ))
    }

    fn unsupported_clause(&self, prop: &Prop) -> GraphError {
        unsupported(format!(
            "Unsupported or invalid query filter clause specified for property '{}' of resource '{}'.",
            self.name(prop),
            self.resource
        ))
    }
}

/// A property's value on one entity.
pub enum Val<'a> {
    Null,
    Str(&'a str),
    Bool(bool),
    Time(DateTime<Utc>),
    List(&'a [String]),
    /// A seeded value of an unmodelled property.
    Json(&'a Value),
}

impl<'a> Val<'a> {
    fn normal(self) -> Val<'a> {
        match self {
            Val::Json(Value::Null) => Val::Null,
            Val::Json(Value::String(s)) => Val::Str(s),
            Val::Json(Value::Bool(b)) => Val::Bool(*b),
            v => v,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Query options

/// The system query options of one request, by lower-case name without `$`, with the original pairs (for
/// building `@odata.nextLink`).
pub struct Options {
    pub pairs: Vec<(String, String)>,
    found: Vec<(String, String)>,
}

impl Options {
    /// Splits the query string. `$name` and `name` are the same option (the `$` is optional in Graph), matched
    /// case-insensitively; a `$` option not in `allowed` is refused, a name without `$` that is not an option
    /// is ignored (a custom query option); an option given twice is refused.
    pub fn parse(raw: Option<&str>, allowed: &[&str], what: &str) -> Result<Options, GraphError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|_| GraphError::bad_request("The query string could not be parsed."))?;
        let mut found: Vec<(String, String)> = Vec::new();
        for (key, value) in &pairs {
            let lower = key.to_ascii_lowercase();
            let bare = lower.trim_start_matches('$');
            if allowed.contains(&bare) {
                if found.iter().any(|(k, _)| k == bare) {
                    return Err(GraphError::bad_request(format!(
                        "Query option '${bare}' was specified more than once, but it must be specified at most once."
                    )));
                }
                found.push((bare.to_owned(), value.clone()));
            } else if lower.starts_with('$') {
                return Err(unsupported(format!(
                    "The query option '{key}' is not supported {what}."
                )));
            }
        }
        Ok(Options { pairs, found })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.found
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `$top`: a page size of 1 to 999.
pub fn parse_top(value: &str) -> Result<usize, GraphError> {
    let n: i64 = value.trim().parse().map_err(|_| {
        GraphError::bad_request(format!(
            "Invalid value '{value}' for $top query option found. The $top query option requires a non-negative integer value."
        ))
    })?;
    if !(1..=999).contains(&n) {
        return Err(unsupported(format!(
            "Invalid page size specified: '{n}'. Must be between 1 and 999 inclusive."
        )));
    }
    Ok(n as usize)
}

pub fn parse_count(value: &str) -> Result<bool, GraphError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(GraphError::bad_request(format!(
            "Invalid value '{value}' for $count query option found. Valid values are 'true' and 'false'."
        ))),
    }
}

fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// `$select`: `None` for `*` (everything).
pub fn parse_select(
    value: &str,
    schema: &Schema,
    extras: &HashSet<String>,
) -> Result<Option<Vec<Prop>>, GraphError> {
    let mut props = Vec::new();
    for name in list(value) {
        if name == "*" {
            return Ok(None);
        }
        let prop = schema
            .resolve(name, extras)
            .ok_or_else(|| schema.not_found(name))?;
        if !props.contains(&prop) {
            props.push(prop);
        }
    }
    Ok(Some(props))
}

/// `$expand`: navigation names (options in parentheses after a name are accepted and ignored).
pub fn parse_expand(value: &str, schema: &Schema) -> Result<Vec<(&'static str, bool)>, GraphError> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut names = Vec::new();
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => names.push(std::mem::take(&mut current)),
            _ if depth == 0 => current.push(c),
            _ => {}
        }
    }
    names.push(current);
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name == "*" {
            return Ok(schema.navigations.to_vec());
        }
        let nav = schema
            .navigations
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .ok_or_else(|| schema.not_found(name))?;
        if !out.contains(nav) {
            out.push(*nav);
        }
    }
    Ok(out)
}

/// `$orderby`: one property, `asc` (default) or `desc`.
pub fn parse_orderby(
    value: &str,
    schema: &Schema,
    extras: &HashSet<String>,
    advanced: bool,
) -> Result<(Prop, bool), GraphError> {
    let items = list(value);
    if items.len() != 1 {
        return Err(sorting_not_supported());
    }
    let mut words = items[0].split_whitespace();
    let name = words.next().unwrap_or_default();
    let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            return Err(GraphError::bad_request(format!(
            "Syntax error in $orderby '{value}': expected 'asc' or 'desc' after the property name."
        )))
        }
    };
    if words.next().is_some() {
        return Err(GraphError::bad_request(format!(
            "Syntax error in $orderby '{value}': expected 'asc' or 'desc' after the property name."
        )));
    }
    let prop = schema
        .resolve(name, extras)
        .ok_or_else(|| schema.not_found(name))?;
    match schema.spec(&prop).order {
        Cap::Default => {}
        Cap::Advanced if advanced => {}
        _ => return Err(sorting_not_supported()),
    }
    Ok((prop, desc))
}

// ---------------------------------------------------------------------------------------------------------------
// $filter

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn from(word: &str) -> Option<Op> {
        Some(match word {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }

    fn word(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
        }
    }

    /// OData's name for the operator in type errors.
    fn kind(self) -> &'static str {
        match self {
            Op::Eq => "Equal",
            Op::Ne => "NotEqual",
            Op::Gt => "GreaterThan",
            Op::Ge => "GreaterThanOrEqual",
            Op::Lt => "LessThan",
            Op::Le => "LessThanOrEqual",
        }
    }

    fn holds(self, ord: Ordering) -> bool {
        match self {
            Op::Eq => ord == Ordering::Equal,
            Op::Ne => ord != Ordering::Equal,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Null,
    Str(String),
    Bool(bool),
    Time(DateTime<Utc>),
    Num(String),
}

impl Lit {
    fn edm(&self) -> &'static str {
        match self {
            Lit::Null => "null",
            Lit::Str(_) => "Edm.String",
            Lit::Bool(_) => "Edm.Boolean",
            Lit::Time(_) => "Edm.DateTimeOffset",
            Lit::Num(n) if n.contains(['.', 'e', 'E']) => "Edm.Double",
            Lit::Num(_) => "Edm.Int32",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Cmp { prop: Prop, op: Op, lit: Lit },
    In { prop: Prop, lits: Vec<Lit> },
    StartsWith { prop: Prop, text: String },
    EndsWith { prop: Prop, text: String },
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    /// A number or date-time literal, unquoted.
    Bare(String),
    Open,
    Close,
    Comma,
    /// Only in lambdas (`any(p: ...)`), which are refused as unsupported.
    Colon,
}

fn syntax_error(text: &str, pos: usize) -> GraphError {
    GraphError::bad_request(format!(
        "Invalid filter clause: Syntax error at position {pos} in '{text}'."
    ))
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, GraphError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                out.push((Tok::Open, start));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, start));
                i += 1;
            }
            ',' => {
                out.push((Tok::Comma, start));
                i += 1;
            }
            ':' => {
                out.push((Tok::Colon, start));
                i += 1;
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(syntax_error(text, start)),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            s.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Str(s), start));
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let mut s = String::new();
                while let Some(&ch) = chars.get(i) {
                    if ch.is_ascii_alphanumeric() || matches!(ch, ':' | '.' | '+' | '-') {
                        s.push(ch);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push((Tok::Bare(s), start));
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let mut s = String::new();
                while let Some(&ch) = chars.get(i) {
                    if ch.is_alphanumeric() || matches!(ch, '_' | '$' | '/' | '.') {
                        s.push(ch);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push((Tok::Word(s), start));
            }
            _ => return Err(syntax_error(text, start)),
        }
    }
    Ok(out)
}

fn path_unsupported(name: &str) -> GraphError {
    unsupported(format!(
        "The filter clause on '{name}' (a path, lambda or $count) is not supported by this resource."
    ))
}

struct FilterParser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize)>,
    at: usize,
    schema: &'a Schema,
    extras: &'a HashSet<String>,
}

impl FilterParser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(t, _)| t)
    }

    fn pos(&self) -> usize {
        self.toks
            .get(self.at)
            .map_or(self.text.chars().count(), |(_, p)| *p)
    }

    fn error(&self) -> GraphError {
        syntax_error(self.text, self.pos())
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).map(|(t, _)| t.clone());
        self.at += 1;
        t
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok) -> Result<(), GraphError> {
        if self.peek() == Some(&tok) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn or(&mut self) -> Result<Filter, GraphError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, GraphError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, GraphError> {
        if self.keyword("not") {
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn property(&self, name: &str) -> Result<Prop, GraphError> {
        if name.contains('/') {
            return Err(path_unsupported(name));
        }
        self.schema
            .resolve(name, self.extras)
            .ok_or_else(|| self.schema.not_found(name))
    }

    fn primary(&mut self) -> Result<Filter, GraphError> {
        match self.next() {
            Some(Tok::Open) => {
                let inner = self.or()?;
                self.expect(Tok::Close)?;
                Ok(inner)
            }
            Some(Tok::Word(name)) if self.peek() == Some(&Tok::Open) => self.function(&name),
            Some(Tok::Word(name)) => {
                let prop = self.property(&name)?;
                let op = match self.next() {
                    Some(Tok::Word(w)) => w.to_ascii_lowercase(),
                    _ => {
                        self.at -= 1;
                        return Err(self.error());
                    }
                };
                if op == "in" {
                    self.expect(Tok::Open)?;
                    let mut lits = vec![self.literal()?];
                    while self.peek() == Some(&Tok::Comma) {
                        self.at += 1;
                        lits.push(self.literal()?);
                    }
                    self.expect(Tok::Close)?;
                    return Ok(Filter::In { prop, lits });
                }
                let Some(op) = Op::from(&op) else {
                    self.at -= 1;
                    return Err(self.error());
                };
                let lit = self.literal()?;
                Ok(Filter::Cmp { prop, op, lit })
            }
            _ => {
                self.at = self.at.saturating_sub(1);
                Err(self.error())
            }
        }
    }

    fn function(&mut self, name: &str) -> Result<Filter, GraphError> {
        if name.contains('/') {
            return Err(path_unsupported(name));
        }
        let lower = name.to_ascii_lowercase();
        if lower != "startswith" && lower != "endswith" {
            return Err(unsupported(format!(
                "The function '{name}' is not supported in $filter by this resource; use eq, ne, in, startsWith or endsWith."
            )));
        }
        self.expect(Tok::Open)?;
        let prop = match self.next() {
            Some(Tok::Word(p)) => self.property(&p)?,
            _ => {
                self.at -= 1;
                return Err(self.error());
            }
        };
        self.expect(Tok::Comma)?;
        let text = match self.literal()? {
            Lit::Str(s) => s,
            other => {
                return Err(GraphError::bad_request(format!(
                    "The function '{name}' needs a string argument; found '{}'.",
                    other.edm()
                )))
            }
        };
        self.expect(Tok::Close)?;
        Ok(if lower == "startswith" {
            Filter::StartsWith { prop, text }
        } else {
            Filter::EndsWith { prop, text }
        })
    }

    fn literal(&mut self) -> Result<Lit, GraphError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Lit::Str(s)),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => Ok(Lit::Null),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("true") => Ok(Lit::Bool(true)),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("false") => Ok(Lit::Bool(false)),
            Some(Tok::Bare(b)) => Ok(match DateTime::parse_from_rfc3339(&b) {
                Ok(t) => Lit::Time(t.with_timezone(&Utc)),
                Err(_) if b.parse::<f64>().is_ok() => Lit::Num(b),
                Err(_) => {
                    self.at -= 1;
                    return Err(self.error());
                }
            }),
            _ => {
                self.at = self.at.saturating_sub(1);
                Err(self.error())
            }
        }
    }
}

/// Parses a `$filter` expression: comparisons (`eq ne gt ge lt le`), `in (...)`, `startsWith`, `endsWith`,
/// `and`, `or`, `not` and parentheses. Keywords and property names are case-insensitive.
pub fn parse_filter(
    text: &str,
    schema: &Schema,
    extras: &HashSet<String>,
) -> Result<Filter, GraphError> {
    let toks = lex(text)?;
    if toks.is_empty() {
        return Err(syntax_error(text, 0));
    }
    let mut p = FilterParser {
        text,
        toks,
        at: 0,
        schema,
        extras,
    };
    let f = p.or()?;
    if p.at < p.toks.len() {
        return Err(p.error());
    }
    Ok(f)
}

fn allowed(
    cap: Cap,
    advanced: bool,
    operator: &str,
    schema: &Schema,
    prop: &Prop,
) -> Result<(), GraphError> {
    match cap {
        Cap::Default => Ok(()),
        Cap::Advanced if advanced => Ok(()),
        Cap::Advanced => Err(needs_advanced(operator)),
        Cap::No => Err(schema.unsupported_clause(prop)),
    }
}

fn type_check(schema: &Schema, prop: &Prop, op: Op, lit: &Lit) -> Result<(), GraphError> {
    let Prop::Modelled(_) = prop else {
        return Ok(());
    };
    let kind = schema.spec(prop).kind;
    let fits = matches!(
        (kind, lit),
        (_, Lit::Null)
            | (Kind::Str, Lit::Str(_))
            | (Kind::Bool, Lit::Bool(_))
            | (Kind::Time, Lit::Time(_))
    );
    if fits {
        Ok(())
    } else {
        Err(GraphError::bad_request(format!(
            "A binary operator with incompatible types was detected. Found operand types '{}' and '{}' for operator kind '{}'.",
            kind.edm(),
            lit.edm(),
            op.kind()
        )))
    }
}

/// Checks every clause against the schema: the operator must be supported on the property, and an operator that
/// needs advanced query parameters needs `advanced` (ConsistencyLevel eventual and `$count=true`).
pub fn check_filter(f: &Filter, schema: &Schema, advanced: bool) -> Result<(), GraphError> {
    match f {
        Filter::And(a, b) | Filter::Or(a, b) => {
            check_filter(a, schema, advanced)?;
            check_filter(b, schema, advanced)
        }
        Filter::Not(inner) => {
            if !advanced {
                return Err(needs_advanced("not"));
            }
            check_filter(inner, schema, advanced)
        }
        Filter::Cmp { prop, op, lit } => {
            type_check(schema, prop, *op, lit)?;
            let spec = schema.spec(prop);
            let cap = match (op, lit) {
                (Op::Eq, Lit::Null) => spec.null,
                (Op::Ne, Lit::Null) if spec.null == Cap::No => Cap::No,
                (Op::Eq, _) => spec.eq,
                (Op::Ne, _) if spec.eq == Cap::No => Cap::No,
                (Op::Ne, _) => Cap::Advanced,
                (Op::Ge, _) => spec.ge,
                (Op::Le, _) => spec.le,
                (Op::Gt | Op::Lt, _) => Cap::No,
            };
            let cap = if *op == Op::Ne && cap != Cap::No {
                Cap::Advanced
            } else {
                cap
            };
            allowed(cap, advanced, op.word(), schema, prop)
        }
        Filter::In { prop, lits } => {
            for lit in lits {
                type_check(schema, prop, Op::Eq, lit)?;
            }
            allowed(schema.spec(prop).in_, advanced, "in", schema, prop)
        }
        Filter::StartsWith { prop, .. } => allowed(
            schema.spec(prop).starts,
            advanced,
            "startsWith",
            schema,
            prop,
        ),
        Filter::EndsWith { prop, .. } => {
            allowed(schema.spec(prop).ends, advanced, "endsWith", schema, prop)
        }
    }
}

/// Case-insensitive comparison without allocating.
pub fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

pub fn starts_ci(value: &str, prefix: &str) -> bool {
    let mut v = value.chars().flat_map(char::to_lowercase);
    prefix
        .chars()
        .flat_map(char::to_lowercase)
        .all(|c| v.next() == Some(c))
}

fn compare(value: Val, op: Op, lit: &Lit) -> bool {
    let ord = match (value.normal(), lit) {
        (Val::Null, Lit::Null) => Ordering::Equal,
        (Val::Null, _) | (_, Lit::Null) => return op == Op::Ne,
        (Val::Str(a), Lit::Str(b)) => cmp_ci(a, b),
        (Val::Bool(a), Lit::Bool(b)) => a.cmp(b),
        (Val::Time(a), Lit::Time(b)) => a.cmp(b),
        (Val::Str(a), Lit::Time(b)) => match DateTime::parse_from_rfc3339(a) {
            Ok(t) => t.with_timezone(&Utc).cmp(b),
            Err(_) => return op == Op::Ne,
        },
        _ => return op == Op::Ne,
    };
    op.holds(ord)
}

/// Whether the entity whose values `get` returns satisfies the filter.
pub fn eval_filter<'a>(f: &Filter, get: &dyn Fn(&Prop) -> Val<'a>) -> bool {
    match f {
        Filter::And(a, b) => eval_filter(a, get) && eval_filter(b, get),
        Filter::Or(a, b) => eval_filter(a, get) || eval_filter(b, get),
        Filter::Not(inner) => !eval_filter(inner, get),
        Filter::Cmp { prop, op, lit } => compare(get(prop), *op, lit),
        Filter::In { prop, lits } => {
            let v = get(prop).normal();
            lits.iter().any(|lit| compare(clone_val(&v), Op::Eq, lit))
        }
        Filter::StartsWith { prop, text } => match get(prop).normal() {
            Val::Str(s) => starts_ci(s, text),
            _ => false,
        },
        Filter::EndsWith { prop, text } => match get(prop).normal() {
            Val::Str(s) => s.to_lowercase().ends_with(&text.to_lowercase()),
            _ => false,
        },
    }
}

fn clone_val<'a>(v: &Val<'a>) -> Val<'a> {
    match v {
        Val::Null => Val::Null,
        Val::Str(s) => Val::Str(s),
        Val::Bool(b) => Val::Bool(*b),
        Val::Time(t) => Val::Time(*t),
        Val::List(l) => Val::List(l),
        Val::Json(j) => Val::Json(j),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// $search

#[derive(Clone, Debug, PartialEq)]
pub enum Search {
    And(Box<Search>, Box<Search>),
    Or(Box<Search>, Box<Search>),
    Clause {
        prop: Prop,
        mode: SearchMode,
        text: String,
        words: Vec<String>,
    },
}

fn search_error(text: &str, detail: &str) -> GraphError {
    GraphError::bad_request(format!("Invalid $search '{text}': {detail}"))
}

/// Splits text into words the way Graph documents for directory `$search`: at spaces, at a change from lower
/// to upper case, between letters, digits and symbols (each symbol is a word of its own); for a value, a run
/// joined only by symbols also counts whole without them (`hello.world` also gives `helloworld`).
pub fn words(text: &str, with_joined: bool) -> Vec<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Letter,
        Digit,
        Symbol,
    }
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        let mut current = String::new();
        let mut prev: Option<(Class, char)> = None;
        let mut had_symbol = false;
        for c in chunk.chars() {
            let class = if c.is_alphabetic() {
                Class::Letter
            } else if c.is_numeric() {
                Class::Digit
            } else {
                Class::Symbol
            };
            let split = match prev {
                None => false,
                Some((p, pc)) => {
                    p != class
                        || class == Class::Symbol
                        || (class == Class::Letter && c.is_uppercase() && pc.is_lowercase())
                }
            };
            if split && !current.is_empty() {
                out.push(std::mem::take(&mut current).to_lowercase());
            }
            had_symbol |= class == Class::Symbol;
            current.push(c);
            prev = Some((class, c));
        }
        if !current.is_empty() {
            out.push(current.to_lowercase());
        }
        if with_joined && had_symbol {
            let joined: String = chunk
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if !joined.is_empty() {
                out.push(joined);
            }
        }
    }
    out
}

struct SearchParser<'a> {
    text: &'a str,
    chars: Vec<char>,
    at: usize,
    schema: &'a Schema,
    extras: &'a HashSet<String>,
}

impl SearchParser<'_> {
    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn operator(&mut self) -> Option<&'static str> {
        self.skip_space();
        for op in ["AND", "OR"] {
            let end = self.at + op.len();
            if end <= self.chars.len()
                && self.chars[self.at..end].iter().copied().eq(op.chars())
                && !matches!(self.chars.get(end), Some(c) if !(c.is_whitespace() || *c == '"' || *c == '('))
            {
                self.at = end;
                return Some(op);
            }
        }
        None
    }

    fn or(&mut self) -> Result<Search, GraphError> {
        let mut left = self.and()?;
        loop {
            let save = self.at;
            match self.operator() {
                Some("OR") => {
                    let right = self.and()?;
                    left = Search::Or(Box::new(left), Box::new(right));
                }
                _ => {
                    self.at = save;
                    return Ok(left);
                }
            }
        }
    }

    fn and(&mut self) -> Result<Search, GraphError> {
        let mut left = self.term()?;
        loop {
            let save = self.at;
            match self.operator() {
                Some("AND") => {
                    let right = self.term()?;
                    left = Search::And(Box::new(left), Box::new(right));
                }
                _ => {
                    self.at = save;
                    return Ok(left);
                }
            }
        }
    }

    fn term(&mut self) -> Result<Search, GraphError> {
        self.skip_space();
        match self.chars.get(self.at) {
            Some('(') => {
                self.at += 1;
                let inner = self.or()?;
                self.skip_space();
                if self.chars.get(self.at) != Some(&')') {
                    return Err(search_error(self.text, "a ')' is missing."));
                }
                self.at += 1;
                Ok(inner)
            }
            Some('"') => {
                self.at += 1;
                let mut clause = String::new();
                loop {
                    match self.chars.get(self.at) {
                        None => {
                            return Err(search_error(self.text, "a clause has no closing double quote."))
                        }
                        Some('\\') => {
                            match self.chars.get(self.at + 1) {
                                Some(&c) => clause.push(c),
                                None => return Err(search_error(self.text, "it ends with a backslash.")),
                            }
                            self.at += 2;
                        }
                        Some('"') => {
                            self.at += 1;
                            break;
                        }
                        Some(&c) => {
                            clause.push(c);
                            self.at += 1;
                        }
                    }
                }
                self.clause(&clause)
            }
            _ => Err(search_error(
                self.text,
                "each clause must be in double quotes, as \"property:text\", joined by AND or OR in upper case.",
            )),
        }
    }

    fn clause(&self, clause: &str) -> Result<Search, GraphError> {
        let Some((name, text)) = clause.split_once(':') else {
            return Err(search_error(
                self.text,
                &format!(
                    "the clause \"{clause}\" names no property; write it as \"property:text\"."
                ),
            ));
        };
        let name = name.trim();
        let prop = self
            .schema
            .resolve(name, self.extras)
            .ok_or_else(|| self.schema.not_found(name))?;
        let mode = self.schema.spec(&prop).search;
        if mode == SearchMode::No {
            return Err(self.schema.unsupported_clause(&prop));
        }
        Ok(Search::Clause {
            prop,
            mode,
            text: text.to_owned(),
            words: words(text, false),
        })
    }
}

/// Parses `$search`: `"property:text"` clauses joined by `AND` / `OR` (upper case; AND binds tighter) with
/// parentheses; `\"` and `\\` escape inside a clause.
pub fn parse_search(
    text: &str,
    schema: &Schema,
    extras: &HashSet<String>,
) -> Result<Search, GraphError> {
    let mut p = SearchParser {
        text,
        chars: text.chars().collect(),
        at: 0,
        schema,
        extras,
    };
    let s = p.or()?;
    p.skip_space();
    if p.at < p.chars.len() {
        return Err(search_error(
            text,
            "clauses must be joined by AND or OR in upper case.",
        ));
    }
    Ok(s)
}

pub fn eval_search<'a>(s: &Search, get: &dyn Fn(&Prop) -> Val<'a>) -> bool {
    match s {
        Search::And(a, b) => eval_search(a, get) && eval_search(b, get),
        Search::Or(a, b) => eval_search(a, get) || eval_search(b, get),
        Search::Clause {
            prop,
            mode,
            text,
            words: wanted,
        } => {
            let Val::Str(value) = get(prop).normal() else {
                return false;
            };
            match mode {
                SearchMode::Tokens => {
                    let have = words(value, true);
                    wanted
                        .iter()
                        .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
                }
                _ => starts_ci(value, text),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Ordering, paging and links

/// A sortable key: lower-cased text, or a fixed-width UTC time, `None` for null (first in ascending order).
pub fn sort_key(v: Val) -> Option<String> {
    match v.normal() {
        Val::Str(s) => Some(s.to_lowercase()),
        Val::Time(t) => Some(t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()),
        Val::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where a page ends: the order it was taken in, and the last entity's key and sequence number.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    pub order: String,
    pub key: Option<String>,
    pub seq: u64,
}

impl Cursor {
    /// The `$skiptoken`: opaque to clients (base64url of a small JSON object).
    pub fn encode(&self) -> String {
        B64.encode(json!({"o": self.order, "k": self.key, "s": self.seq}).to_string())
    }

    pub fn decode(token: &str, order: &str) -> Result<Cursor, GraphError> {
        let bad = || {
            GraphError::new(
                StatusCode::BAD_REQUEST,
                "Request_BadRequest",
                "The $skiptoken is not valid for this query; follow @odata.nextLink as given.",
            )
        };
        let bytes = B64.decode(token.trim()).map_err(|_| bad())?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        let cursor = Cursor {
            order: v["o"].as_str().ok_or_else(bad)?.to_owned(),
            key: match &v["k"] {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                _ => return Err(bad()),
            },
            seq: v["s"].as_u64().ok_or_else(bad)?,
        };
        if cursor.order != order {
            return Err(bad());
        }
        Ok(cursor)
    }
}

/// Orders by (key, seq), nulls first; `desc` reverses the whole order.
pub fn order(a: (&Option<String>, u64), b: (&Option<String>, u64), desc: bool) -> Ordering {
    let o = a.0.cmp(b.0).then(a.1.cmp(&b.1));
    if desc {
        o.reverse()
    } else {
        o
    }
}

/// Characters kept as they are in the query of a link we build; the rest is percent-encoded.
const QUERY_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// `scheme://host` of this request, as the client reached us.
pub fn base_url(parts: &Parts, https: bool) -> String {
    let scheme = parts
        .uri
        .scheme_str()
        .unwrap_or(if https { "https" } else { "http" });
    let host = parts
        .uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            parts
                .headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{scheme}://{host}")
}

/// The request's own URL with the same query options and a new `$skiptoken`.
pub fn next_link(parts: &Parts, https: bool, pairs: &[(String, String)], token: &str) -> String {
    let mut query: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !k.trim_start_matches('$').eq_ignore_ascii_case("skiptoken"))
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY_KEEP),
                utf8_percent_encode(v, QUERY_KEEP)
            )
        })
        .collect();
    query.push(format!("$skiptoken={token}"));
    format!(
        "{}{}?{}",
        base_url(parts, https),
        parts.uri.path(),
        query.join("&")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_documented_examples() {
        assert_eq!(words("hello world", true), ["hello", "world"]);
        assert_eq!(words("HelloWorld", true), ["hello", "world"]);
        assert_eq!(words("HELLOworld", true), ["helloworld"]);
        assert_eq!(
            words("hello.world", true),
            ["hello", ".", "world", "helloworld"]
        );
        assert_eq!(words("hello123world", false), ["hello", "123", "world"]);
    }

    #[test]
    fn cursor_round_trips() {
        let c = Cursor {
            order: "displayName desc".into(),
            key: Some("ab'c".into()),
            seq: 7,
        };
        assert_eq!(Cursor::decode(&c.encode(), "displayName desc").unwrap(), c);
        assert!(Cursor::decode(&c.encode(), "").is_err());
        assert!(Cursor::decode("not base64!", "").is_err());
    }
}
