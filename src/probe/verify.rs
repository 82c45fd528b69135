//! Certificate verification that records its verdict instead of aborting the handshake, so
//! the probe can tell "verifies", "verifies only through `--ca-file`" (an inspecting proxy the
//! user trusts) and "does not verify", with the certificate's subject and issuer.

use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

use crate::model::TlsResult;

/// The trust the probe checks against: the public roots (the bundled WebPKI roots, or the
/// `SSL_CERT_FILE` bundle that replaces them), and `--ca-file` roots.
#[derive(Debug, Clone)]
pub struct Trust {
    provider: Arc<CryptoProvider>,
    public: Arc<WebPkiServerVerifier>,
    extra: Option<Arc<WebPkiServerVerifier>>,
}

/// What verification concluded about one server's certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `ok`, `inspected` or `verify-error`.
    pub result: TlsResult,
    /// The leaf certificate's subject.
    pub subject: Option<String>,
    /// The leaf certificate's issuer.
    pub issuer: Option<String>,
    /// Why it did not verify, or through which roots it did.
    pub detail: Option<String>,
}

impl Trust {
    /// The public roots (`public`, else the bundled WebPKI roots), plus `extra` roots (from
    /// `--ca-file`) when given.
    pub fn new(
        public: Option<Vec<CertificateDer<'static>>>,
        extra: Vec<CertificateDer<'static>>,
    ) -> Result<Self, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let public = match public {
            Some(certs) => store(certs, "SSL_CERT_FILE")?,
            None => RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            },
        };
        let build = |roots: RootCertStore| {
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("cannot use these roots: {e}"))
        };
        let extra = match extra.is_empty() {
            true => None,
            false => Some(build(store(extra, "--ca-file")?)?),
        };
        Ok(Self {
            public: build(public)?,
            extra,
            provider,
        })
    }

    /// A client configuration whose verifier records into the returned slot.
    pub fn client_config(&self) -> Result<(rustls::ClientConfig, Slot), String> {
        let slot: Slot = Arc::default();
        let verifier = Recording {
            trust: self.clone(),
            slot: slot.clone(),
        };
        let config = rustls::ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot configure TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok((config, slot))
    }
}

/// A root store of `certs`, read from `source`.
fn store(certs: Vec<CertificateDer<'static>>, source: &str) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    for cert in certs {
        store
            .add(cert)
            .map_err(|e| format!("{source} holds an unusable certificate: {e}"))?;
    }
    Ok(store)
}

/// Where a handshake's verdict lands.
pub type Slot = Arc<Mutex<Option<Verdict>>>;

#[derive(Debug)]
struct Recording {
    trust: Trust,
    slot: Slot,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let check = |verifier: &WebPkiServerVerifier| {
            verifier.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        };
        let (result, detail) = match check(&self.trust.public) {
            Ok(_) => (TlsResult::Ok, None),
            Err(public_error) => match self.trust.extra.as_deref().map(check) {
                Some(Ok(_)) => (
                    TlsResult::Inspected,
                    Some("verifies only through --ca-file".to_string()),
                ),
                _ => (TlsResult::VerifyError, Some(public_error.to_string())),
            },
        };
        let (subject, issuer) = names(end_entity);
        let verdict = Verdict {
            result,
            subject,
            issuer,
            detail,
        };
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some(verdict);
        }
        // The verdict is recorded; the handshake goes on so its own failures show too. Nothing
        // but `HEAD /` is ever sent, and only over a verified connection.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.trust.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.trust.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.trust
            .provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The subject and issuer of a DER certificate, as RFC 4514 strings.
fn names(der: &CertificateDer<'_>) -> (Option<String>, Option<String>) {
    match x509_parser::parse_x509_certificate(der.as_ref()) {
        Ok((_, cert)) => (
            Some(cert.subject().to_string()),
            Some(cert.issuer().to_string()),
        ),
        Err(_) => (None, None),
    }
}
