//! IAM policy documents (endpoint policies, identity policies, permissions boundaries, key
//! policies) parsed once, and the one evaluator the rules ask: does this policy allow this
//! action on this resource, for this caller, under this request context?
//!
//! Handles single-string and array fields, `NotAction`/`NotResource`, `NotPrincipal`,
//! service principals, wildcards (`*`, `?`), explicit `Deny`, and conditions: the string and
//! ARN operators (with `IfExists` and the `ForAnyValue:`/`ForAllValues:` set prefixes),
//! `Null` and `Bool` are evaluated against the keys a request knows; any other operator, or a
//! key the request does not know, leaves the statement possible, never certain.

use serde_json::Value;

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The statements, in document order.
    pub statements: Vec<Statement>,
}

/// One `Statement` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The `Sid`, if any.
    pub sid: Option<String>,
    /// True for `"Effect": "Allow"`, false for `Deny`.
    pub allow: bool,
    /// Who the statement applies to.
    pub principal: Principal,
    /// The `Action` or `NotAction` patterns.
    pub actions: Patterns,
    /// The `Resource` or `NotResource` patterns.
    pub resources: Patterns,
    /// The `Condition` element: one entry per operator and key, as written.
    pub conditions: Vec<Condition>,
}

/// One operator and key of a `Condition` element, with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator as written (`StringLike`, `ArnLikeIfExists`, `ForAnyValue:StringEquals`).
    pub operator: String,
    /// The condition key as written (`kms:ViaService`).
    pub key: String,
    /// The values; a single string becomes one value.
    pub values: Vec<String>,
}

/// The `Principal` element.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// No `Principal` (nor `NotPrincipal`) element.
    Missing,
    /// `"*"` or `{"AWS": "*"}`.
    Anyone,
    /// `{"AWS": [...]}` values other than `*`.
    Aws(Vec<String>),
    /// `{"Service": [...]}`: AWS service principals (`logs.us-east-1.amazonaws.com`).
    Service(Vec<String>),
    /// `NotPrincipal`, a mix of principal types, or anything else.
    Other,
}

/// `Action`/`NotAction` or `Resource`/`NotResource` patterns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patterns {
    /// The patterns as written; a single string becomes one pattern.
    pub values: Vec<String>,
    /// True for the `Not…` form: the statement applies to everything *except* the patterns.
    pub negated: bool,
}

/// What a policy says about one action on one resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// Allowed for anyone, without a condition.
    Allowed,
    /// Allowed only under a condition.
    Conditional,
    /// An explicit `Deny` matches (its `Sid`, if any).
    Denied(Option<String>),
    /// No statement allows it (implicit deny).
    NotAllowed,
}

/// `*` matches any run of characters, `?` one character.
pub fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| {
        if ignore_case {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    let (p, t): (Vec<char>, Vec<char>) = (
        fold(pattern).chars().collect(),
        fold(text).chars().collect(),
    );
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl Patterns {
    fn matches(&self, value: &str, ignore_case: bool) -> bool {
        self.values.iter().any(|p| glob(p, value, ignore_case)) != self.negated
    }

    fn is_everything(&self) -> bool {
        !self.negated && self.values.iter().any(|v| v == "*")
    }
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        ),
        _ => Some(Vec::new()),
    }
}

fn patterns(statement: &Value, key: &str) -> Patterns {
    match strings(statement.get(key)) {
        Some(values) => Patterns {
            values,
            negated: false,
        },
        None => Patterns {
            values: strings(statement.get(format!("Not{key}").as_str())).unwrap_or_default(),
            negated: true,
        },
    }
}

fn principal(statement: &Value) -> Principal {
    if statement.get("NotPrincipal").is_some() {
        return Principal::Other;
    }
    match statement.get("Principal") {
        None => Principal::Missing,
        Some(Value::String(s)) if s == "*" => Principal::Anyone,
        Some(Value::Object(map)) if map.len() == 1 && map.contains_key("AWS") => {
            let values = strings(map.get("AWS")).unwrap_or_default();
            if values.iter().any(|v| v == "*") {
                Principal::Anyone
            } else {
                Principal::Aws(values)
            }
        }
        Some(Value::Object(map)) if map.len() == 1 && map.contains_key("Service") => {
            Principal::Service(strings(map.get("Service")).unwrap_or_default())
        }
        Some(_) => Principal::Other,
    }
}

fn conditions(statement: &Value) -> Vec<Condition> {
    let Some(operators) = statement.get("Condition").and_then(Value::as_object) else {
        return Vec::new();
    };
    operators
        .iter()
        .flat_map(|(operator, keys)| {
            keys.as_object()
                .into_iter()
                .flatten()
                .map(move |(key, values)| Condition {
                    operator: operator.clone(),
                    key: key.clone(),
                    values: match values {
                        Value::Array(items) => items.iter().map(scalar).collect(),
                        other => vec![scalar(other)],
                    },
                })
        })
        .collect()
}

/// A condition value as text (`true`, `10`, or the string itself).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parses a policy document. Errors say what is wrong in one line.
pub fn parse(text: &str) -> Result<Policy, String> {
    let document: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let statements = match document.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(object @ Value::Object(_)) => vec![object.clone()],
        _ => return Err("no Statement element".into()),
    };
    statements
        .iter()
        .map(|s| {
            let allow = match s.get("Effect").and_then(Value::as_str) {
                Some("Allow") => true,
                Some("Deny") => false,
                other => {
                    return Err(format!(
                        "a statement has Effect {other:?}, expected \"Allow\" or \"Deny\""
                    ));
                }
            };
            Ok(Statement {
                sid: s.get("Sid").and_then(Value::as_str).map(str::to_string),
                allow,
                principal: principal(s),
                actions: patterns(s, "Action"),
                resources: patterns(s, "Resource"),
                conditions: conditions(s),
            })
        })
        .collect::<Result<_, _>>()
        .map(|statements| Policy { statements })
}

impl Statement {
    /// The condition keys used (`aws:SourceIp`, `aws:PrincipalArn`, …), as written.
    pub fn condition_keys(&self) -> impl Iterator<Item = &str> {
        self.conditions.iter().map(|c| c.key.as_str())
    }

    /// How the statement is named in messages: `"Sid"`, or its place (`statement 3`).
    pub fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!("statement \"{sid}\""),
            _ => format!("statement {}", index + 1),
        }
    }

    /// Whether the statement names `caller` (only asked of resource policies).
    fn names(&self, caller: &Caller) -> bool {
        match (&self.principal, caller) {
            (Principal::Anyone, _) => true,
            (Principal::Service(services), Caller::Service(service)) => {
                services.iter().any(|s| glob(s, service, true))
            }
            (Principal::Aws(values), Caller::Aws(arn)) => values.iter().any(|v| {
                v == arn
                    || arn.split(':').nth(4).is_some_and(|account| {
                        v == account || *v == format!("arn:aws:iam::{account}:root")
                    })
            }),
            _ => false,
        }
    }

    /// Whether the statement's conditions hold for a request with `context`: `Some(true)`
    /// or `Some(false)` when every condition can be told, `None` when one cannot.
    fn conditions_hold(&self, context: &[(&str, Option<&str>)]) -> Option<bool> {
        let mut known = true;
        for condition in &self.conditions {
            match condition.holds(context) {
                Some(false) => return Some(false),
                Some(true) => {}
                None => known = false,
            }
        }
        known.then_some(true)
    }
}

impl Condition {
    /// Whether the condition holds for a request whose known keys are `context` (a key with
    /// `None` is known to be absent from the request); `None` when it cannot be told: an
    /// operator this evaluator does not know, or a key the request does not say.
    pub fn holds(&self, context: &[(&str, Option<&str>)]) -> Option<bool> {
        let (set, operator) = self
            .operator
            .split_once(':')
            .unwrap_or(("", self.operator.as_str()));
        let (operator, if_exists) = match operator.strip_suffix("IfExists") {
            Some(op) => (op, true),
            None => (operator, false),
        };
        let (_, value) = context
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(&self.key))?;
        if operator == "Null" {
            let absent = value.is_none();
            return Some(
                self.values
                    .iter()
                    .any(|v| v == if absent { "true" } else { "false" }),
            );
        }
        let (negated, test): (bool, fn(&str, &str) -> bool) = match operator {
            "StringEquals" | "ArnEquals" => (false, |p, v| p == v),
            "StringNotEquals" | "ArnNotEquals" => (true, |p, v| p == v),
            "StringEqualsIgnoreCase" => (false, |p, v| p.eq_ignore_ascii_case(v)),
            "StringNotEqualsIgnoreCase" => (true, |p, v| p.eq_ignore_ascii_case(v)),
            "StringLike" | "ArnLike" => (false, |p, v| glob(p, v, false)),
            "StringNotLike" | "ArnNotLike" => (true, |p, v| glob(p, v, false)),
            "Bool" => (false, |p, v| p.eq_ignore_ascii_case(v)),
            _ => return None,
        };
        Some(match value {
            // `ForAllValues` holds for an empty set of values.
            None => if_exists || negated || set == "ForAllValues",
            Some(value) => self.values.iter().any(|p| test(p, value)) != negated,
        })
    }
}

/// Who makes a request a resource policy (a key policy) is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller<'a> {
    /// An AWS service principal (`logs.us-east-1.amazonaws.com`).
    Service(&'a str),
    /// An IAM principal, by ARN.
    Aws(&'a str),
}

/// A request a policy is asked about.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The action (`sqs:SendMessage`).
    pub action: &'a str,
    /// The resource ARN, or a documented ARN pattern taken literally (a `*` in it is only
    /// matched by a `*` of the policy, so the policy must cover all it stands for).
    pub resource: &'a str,
    /// The caller, for a resource policy; `None` for an identity policy, whose statements
    /// name no principal.
    pub caller: Option<Caller<'a>>,
    /// The condition keys the request is known to carry (`kms:ViaService`), or known not to
    /// (`None`); any other key is unknown.
    pub context: &'a [(&'a str, Option<&'a str>)],
}

/// Where a decision comes from: the policy (its index among those decided together) and
/// the statement's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// The index of the policy among those decided together (0 for one policy).
    pub policy: usize,
    /// The statement's label: `statement "Sid"` or `statement 3`.
    pub statement: String,
}

/// A decision on a request, with the statement that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A statement allows it, and no `Deny` may match.
    Allowed(At),
    /// An explicit `Deny` matches.
    Denied(At),
    /// A statement might allow it, or a `Deny` might match, under conditions the request does
    /// not tell (with the condition keys of that statement).
    Conditional(At, Vec<String>),
    /// No statement allows it (implicit deny).
    NotAllowed,
}

/// The decision of several policies together (a role's identity policies): an explicit
/// `Deny` in any wins, then an `Allow` in any; a statement whose conditions do not hold does
/// not count, one whose conditions cannot be told makes the decision conditional.
pub fn decide_among<'p>(
    policies: impl IntoIterator<Item = &'p Policy>,
    request: &Request,
) -> Decision {
    let mut allow = None;
    // A statement that may apply, under conditions the request does not tell: an allow
    // (0) or a deny (1).
    let mut maybe: [Option<(At, Vec<String>)>; 2] = [None, None];
    for (policy, document) in policies.into_iter().enumerate() {
        for (index, s) in document.statements.iter().enumerate() {
            let applies = s.actions.matches(request.action, true)
                && s.resources.matches(request.resource, false)
                && request.caller.is_none_or(|caller| s.names(&caller));
            if !applies {
                continue;
            }
            let at = || At {
                policy,
                statement: s.label(index),
            };
            match (s.conditions_hold(request.context), s.allow) {
                (Some(false), _) => {}
                (Some(true), false) => return Decision::Denied(at()),
                (Some(true), true) => {
                    allow.get_or_insert_with(at);
                }
                (None, allows) => {
                    maybe[usize::from(!allows)].get_or_insert_with(|| {
                        (at(), s.condition_keys().map(str::to_string).collect())
                    });
                }
            }
        }
    }
    let [maybe_allow, maybe_deny] = maybe;
    match (allow, maybe_allow, maybe_deny) {
        (None, None, _) => Decision::NotAllowed,
        (Some(at), _, None) => Decision::Allowed(at),
        (_, _, Some((at, keys))) | (None, Some((at, keys)), None) => {
            Decision::Conditional(at, keys)
        }
    }
}

impl Policy {
    /// The policy's decision on `request` (see [`decide_among`]).
    pub fn decide(&self, request: &Request) -> Decision {
        decide_among([self], request)
    }

    /// One Allow statement for anyone, every action, every resource, no condition (rule 49).
    pub fn is_full_access(&self) -> bool {
        matches!(self.statements.as_slice(), [s] if s.allow
            && s.principal == Principal::Anyone
            && s.actions.is_everything()
            && s.resources.is_everything()
            && s.conditions.is_empty())
    }

    /// Whether anyone may perform `action` on `resource` through the endpoint.
    pub fn access(&self, action: &str, resource: &str) -> Access {
        let applies = |s: &&Statement| {
            s.actions.matches(action, true) && s.resources.matches(resource, false)
        };
        if let Some(deny) = self.statements.iter().filter(|s| !s.allow).find(applies) {
            return Access::Denied(deny.sid.clone());
        }
        let allows: Vec<&Statement> = self
            .statements
            .iter()
            .filter(|s| s.allow && matches!(s.principal, Principal::Anyone | Principal::Aws(_)))
            .filter(applies)
            .collect();
        if allows
            .iter()
            .any(|s| s.conditions.is_empty() && s.principal == Principal::Anyone)
        {
            Access::Allowed
        } else if allows.is_empty() {
            Access::NotAllowed
        } else {
            Access::Conditional
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_handles_stars_and_question_marks() {
        assert!(glob("s3:Get*", "s3:GetObject", false));
        assert!(glob("S3:get*", "s3:GetObject", true));
        assert!(!glob("S3:get*", "s3:GetObject", false));
        assert!(glob(
            "arn:aws:s3:::prod-*-starport-layer-bucket/*",
            "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/x",
            false
        ));
        assert!(glob(
            "arn:aws:s3:::my-bucke?/*",
            "arn:aws:s3:::my-bucket/a/b",
            false
        ));
        assert!(!glob(
            "arn:aws:s3:::my-bucket",
            "arn:aws:s3:::my-bucket/a",
            false
        ));
        assert!(glob("*", "", false));
        // A star that must give back what it took (backtracking).
        assert!(glob("*.b", "a.a.b", false));
        assert!(glob("a*c*d", "abcxcyd", false));
        assert!(!glob("a*c*d", "abcxcy", false));
    }

    #[test]
    fn full_access_only_for_the_default_shape() {
        let default =
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert!(parse(default).unwrap().is_full_access());
        let aws_star = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["*"],"Resource":"*"}}"#;
        assert!(parse(aws_star).unwrap().is_full_access());
        let conditional = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}"#;
        assert!(!parse(conditional).unwrap().is_full_access());
        let not_action = r#"{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"s3:Delete*","Resource":"*"}]}"#;
        assert!(!parse(not_action).unwrap().is_full_access());
    }

    #[test]
    fn access_honours_deny_not_action_and_conditions() {
        let policy = parse(
            r#"{"Statement":[
                {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::dags/*"},
                {"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"},
                {"Effect":"Allow","Principal":"*","NotAction":"s3:Put*","NotResource":"arn:aws:s3:::secret/*"},
                {"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            policy.access("s3:GetObject", "arn:aws:s3:::dags/a.py"),
            Access::Allowed
        );
        assert_eq!(
            policy.access("s3:DeleteObject", "arn:aws:s3:::dags/a.py"),
            Access::Denied(Some("NoDeletes".into()))
        );
        assert_eq!(
            policy.access("s3:GetObject", "arn:aws:s3:::other/x"),
            Access::Allowed,
            "NotAction/NotResource"
        );
        assert_eq!(
            policy.access("s3:GetObject", "arn:aws:s3:::secret/x"),
            Access::NotAllowed
        );
        assert_eq!(
            policy.access("s3:PutObject", "arn:aws:s3:::logs/x"),
            Access::Conditional
        );
        assert_eq!(
            policy.statements[3].condition_keys().collect::<Vec<_>>(),
            ["aws:SourceIp"]
        );
    }

    #[test]
    fn principals_and_errors() {
        let p = parse(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}"#).unwrap();
        assert_eq!(
            p.statements[0].principal,
            Principal::Aws(vec!["111122223333".into()])
        );
        assert_eq!(p.statements[1].principal, Principal::Missing);
        let service = parse(r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"airflow.amazonaws.com"},"Action":"*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"*","Service":"x"},"Action":"*","Resource":"*"}]}"#).unwrap();
        assert_eq!(
            service.statements[0].principal,
            Principal::Service(vec!["airflow.amazonaws.com".into()])
        );
        assert_eq!(
            service.statements[1].principal,
            Principal::Other,
            "more than the AWS key"
        );
        assert!(parse("{not json").unwrap_err().contains("not valid JSON"));
        assert!(parse(r#"{"Version":"2012-10-17"}"#).is_err());
        assert!(parse(r#"{"Statement":[{"Effect":"Maybe"}]}"#).is_err());
    }

    fn request<'a>(action: &'a str, context: &'a [(&'a str, Option<&'a str>)]) -> Request<'a> {
        Request {
            action,
            resource: "arn:aws:kms:us-east-1:111122223333:key/k",
            caller: None,
            context,
        }
    }

    #[test]
    fn conditions_hold_or_not_on_the_keys_a_request_carries() {
        let via = |operator: &str, value: &str| {
            parse(&format!(
                r#"{{"Statement":[{{"Sid":"Key","Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{{"{operator}":{{"kms:ViaService":"{value}"}}}}}}]}}"#
            ))
            .unwrap()
        };
        let sqs = [("kms:ViaService", Some("sqs.us-east-1.amazonaws.com"))];
        let direct = [("kms:ViaService", None)];
        let allowed = |p: &Policy, ctx: &[(&str, Option<&str>)]| {
            matches!(p.decide(&request("kms:Decrypt", ctx)), Decision::Allowed(_))
        };
        assert!(allowed(
            &via("StringEquals", "sqs.us-east-1.amazonaws.com"),
            &sqs
        ));
        assert!(!allowed(
            &via("StringEquals", "s3.us-east-1.amazonaws.com"),
            &sqs
        ));
        assert!(allowed(&via("StringLike", "sqs.*.amazonaws.com"), &sqs));
        assert!(
            !allowed(&via("StringLike", "sqs.*.amazonaws.com"), &direct),
            "absent key"
        );
        assert!(
            allowed(&via("StringLikeIfExists", "sqs.*"), &direct),
            "IfExists"
        );
        assert!(allowed(
            &via("StringNotEquals", "s3.us-east-1.amazonaws.com"),
            &sqs
        ));
        assert!(
            allowed(&via("StringNotEquals", "x"), &direct),
            "a negation holds without the key"
        );
        assert!(allowed(
            &via("ForAnyValue:StringEquals", "sqs.us-east-1.amazonaws.com"),
            &sqs
        ));
        assert!(allowed(&via("Null", "true"), &direct));
        assert!(!allowed(&via("Null", "true"), &sqs));
        assert!(allowed(
            &via("StringEqualsIgnoreCase", "SQS.us-east-1.amazonaws.com"),
            &sqs
        ));
        // A key the request does not say, or an operator the evaluator does not know: only
        // possibly allowed, with the statement and the key named.
        assert_eq!(
            via("StringEquals", "x").decide(&request("kms:Decrypt", &[])),
            Decision::Conditional(
                At {
                    policy: 0,
                    statement: "statement \"Key\"".into()
                },
                vec!["kms:ViaService".into()]
            )
        );
        assert!(matches!(
            via("NumericLessThan", "3").decide(&request("kms:Decrypt", &sqs)),
            Decision::Conditional(..)
        ));
    }

    #[test]
    fn policies_decided_together_let_a_deny_in_one_win_over_an_allow_in_another() {
        let allow =
            parse(r#"{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#).unwrap();
        let deny = parse(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*"}]}"#).unwrap();
        let maybe_deny = parse(r#"{"Statement":[{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#).unwrap();
        let send = request("sqs:SendMessage", &[]);
        assert_eq!(
            decide_among([&allow, &deny], &send),
            Decision::Denied(At {
                policy: 1,
                statement: "statement 2".into()
            })
        );
        assert!(matches!(
            decide_among([&allow], &send),
            Decision::Allowed(_)
        ));
        assert!(matches!(
            decide_among([&allow, &maybe_deny], &send),
            Decision::Conditional(..)
        ));
        assert_eq!(
            decide_among([&deny], &request("sqs:ReceiveMessage", &[])),
            Decision::NotAllowed
        );
    }

    #[test]
    fn a_resource_policy_applies_only_to_the_principals_it_names() {
        let key = parse(r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
            {"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"kms:Encrypt*","Resource":"*"}
        ]}"#)
        .unwrap();
        let ask = |caller: Caller, action: &str| {
            let mut r = request(action, &[]);
            r.caller = Some(caller);
            key.decide(&r)
        };
        let logs = Caller::Service("logs.us-east-1.amazonaws.com");
        assert!(matches!(ask(logs, "kms:Encrypt"), Decision::Allowed(_)));
        assert_eq!(ask(logs, "kms:Decrypt"), Decision::NotAllowed);
        assert_eq!(
            ask(Caller::Service("sqs.amazonaws.com"), "kms:Encrypt"),
            Decision::NotAllowed
        );
        let role = Caller::Aws("arn:aws:iam::111122223333:role/x");
        assert!(
            matches!(ask(role, "kms:Decrypt"), Decision::Allowed(_)),
            "the account root names its roles"
        );
        assert_eq!(
            ask(
                Caller::Aws("arn:aws:iam::999988887777:role/x"),
                "kms:Decrypt"
            ),
            Decision::NotAllowed
        );
    }
}
