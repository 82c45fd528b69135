//! Fields of a CloudTrail record (the `CloudTrailEvent` JSON) however the services logged
//! them: any case, `{"items": [...]}` lists, `{"value": true}` flags.

use serde_json::Value;

/// A field by name, ignoring case (EC2 logs `groupId`, its newer calls `VpcEndpointId`);
/// `null` counts as absent.
pub(super) fn field<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

/// A scalar field as text.
pub(super) fn scalar(value: &Value, key: &str) -> Option<String> {
    match field(value, key)? {
        Value::String(text) => Some(text.clone()).filter(|t| !t.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(inner) => inner
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("value"))
            .and_then(|(_, v)| match v {
                Value::Bool(b) => Some(b.to_string()),
                Value::String(text) => Some(text.clone()),
                _ => None,
            }),
        _ => None,
    }
}

/// A boolean field: `true`, `"true"` or `{"value": true}`.
pub(super) fn flag(value: &Value, key: &str) -> Option<bool> {
    scalar(value, key).and_then(|text| text.parse().ok())
}

/// The strings of a list field however EC2 logged it: an array, `{"items": [...]}`, or
/// `{"tag": 1, "content": "..."}` entries.
pub(super) fn list(value: &Value, key: &str) -> Vec<String> {
    fn flatten(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(text) => out.push(text.clone()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Array(items) => items.iter().for_each(|v| flatten(v, out)),
            Value::Object(fields) => match field(value, "content")
                .or_else(|| field(value, "items"))
                .or_else(|| field(value, "item"))
            {
                Some(inner) => flatten(inner, out),
                None => fields
                    .iter()
                    .filter(|(key, _)| !free_text(key))
                    .for_each(|(_, v)| flatten(v, out)),
            },
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(inner) = field(value, key) {
        flatten(inner, &mut out);
    }
    out
}

/// The items of a list field logged as `{"items": [...]}` or as an array.
pub(super) fn items<'v>(value: &'v Value, key: &str) -> Vec<&'v Value> {
    let inner = field(value, key);
    let inner = inner
        .and_then(|v| field(v, "items").or_else(|| field(v, "item")))
        .or(inner);
    match inner {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    }
}

/// A field of labels or prose: `TagSpecification`, `tagSet`, `description`.
pub(super) fn free_text(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("tag") || key == "description"
}
