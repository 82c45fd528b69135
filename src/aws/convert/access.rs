//! The environment's role, bucket and key: what IAM returns needs decoding.

/// A policy document as IAM returns it, URL-encoded (RFC 3986), decoded; text that is not
/// valid percent-encoding is kept as it is (then it is JSON already, or the policy check
/// says it does not parse).
pub(in crate::aws) fn url_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (other, _, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_documents_are_url_decoded() {
        assert_eq!(
            url_decoded("%7B%22Statement%22%3A%5B%5D%7D"),
            r#"{"Statement":[]}"#
        );
        assert_eq!(url_decoded(r#"{"a":"50%"}"#), r#"{"a":"50%"}"#);
        assert_eq!(url_decoded("a%2Bb+c%2"), "a+b+c%2");
        assert_eq!(url_decoded("%C3%A9"), "é");
    }
}
