//! Endpoint policies parsed as IAM JSON, and the questions the rules ask of them.
//!
//! Handles single-string and array fields, `NotAction`/`NotResource`, `NotPrincipal`,
//! conditions, wildcards (`*`, `?`) and explicit `Deny`.

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
    /// Condition keys used (`aws:SourceIp`, `aws:PrincipalArn`, …), as written.
    pub condition_keys: Vec<String>,
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
    /// Service principals, `NotPrincipal`, or anything else.
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
        Some(_) => Principal::Other,
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
                condition_keys: s
                    .get("Condition")
                    .and_then(Value::as_object)
                    .map(|ops| {
                        ops.values()
                            .filter_map(Value::as_object)
                            .flat_map(|keys| keys.keys().cloned())
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<_, _>>()
        .map(|statements| Policy { statements })
}

impl Policy {
    /// One Allow statement for anyone, every action, every resource, no condition (rule 49).
    pub fn is_full_access(&self) -> bool {
        matches!(self.statements.as_slice(), [s] if s.allow
            && s.principal == Principal::Anyone
            && s.actions.is_everything()
            && s.resources.is_everything()
            && s.condition_keys.is_empty())
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
            .any(|s| s.condition_keys.is_empty() && s.principal == Principal::Anyone)
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
        assert_eq!(policy.statements[3].condition_keys, ["aws:SourceIp"]);
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
        assert_eq!(service.statements[0].principal, Principal::Other);
        assert_eq!(
            service.statements[1].principal,
            Principal::Other,
            "more than the AWS key"
        );
        assert!(parse("{not json").unwrap_err().contains("not valid JSON"));
        assert!(parse(r#"{"Version":"2012-10-17"}"#).is_err());
        assert!(parse(r#"{"Statement":[{"Effect":"Maybe"}]}"#).is_err());
    }
}
