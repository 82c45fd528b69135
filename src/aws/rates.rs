//! The request rates linkscope keeps to: AWS's documented limits, each with the page that
//! states it, overridable with `--rate SERVICE=PER_SECOND[/BURST]`. A fleet run keeps to them
//! per account and Region (Route 53's per account); one target is paced only by a `--rate`
//! given for it, and CloudTrail's `LookupEvents` always.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use super::limit::RateLimit;

/// A rate: calls started per second, and how many may start at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Calls per second, sustained.
    pub per_second: f64,
    /// Calls that may start at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl Rate {
    /// A limiter that keeps to this rate.
    pub fn limit(self) -> Arc<RateLimit> {
        RateLimit::shared(self.per_second, self.burst)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/s, bursts of {}", self.per_second, self.burst)
    }
}

/// EC2 throttles each account per Region with a token bucket per API action; the
/// non-mutating actions (every `Describe*` linkscope calls) hold 100 tokens, refilled at 20
/// a second ("Request throttling for the Amazon EC2 API",
/// <https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html>, "Non-mutating
/// actions"). linkscope spends one such bucket on all its EC2 calls of an account and
/// Region, so it stays within every action's bucket whichever actions it mixes.
pub const EC2: Rate = Rate {
    per_second: 20.0,
    burst: 100,
};

/// Route 53 throttles all API requests of an account together, in every Region: a bucket of
/// 50 refilled at 10 a second ("Throttling for Amazon Route 53 API requests",
/// <https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/throttling-api-requests.html>,
/// "All Amazon Route 53 API actions combined (account level)").
pub const ROUTE53: Rate = Rate {
    per_second: 10.0,
    burst: 50,
};

/// CloudWatch allows 50 `GetMetricData` transactions a second per account and Region
/// ("CloudWatch service quotas",
/// <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html>,
/// "GetMetricData": 50 TPS). linkscope keeps to half of it: dashboards and alarms of the
/// account read the same quota.
pub const CLOUDWATCH: Rate = Rate {
    per_second: 25.0,
    burst: 25,
};

/// CloudTrail's `LookupEvents` is limited to 2 requests a second per account and Region
/// ("Quotas in AWS CloudTrail",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html>);
/// its pages are spaced, never burst.
pub const CLOUDTRAIL: Rate = Rate {
    per_second: 2.0,
    burst: 1,
};

/// AWS STS accepts 600 requests a second per account and Region ("IAM and AWS STS quotas",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>, "AWS STS
/// request quotas").
pub const STS: Rate = Rate {
    per_second: 600.0,
    burst: 600,
};

/// A service whose calls linkscope paces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    /// Every EC2 call.
    Ec2,
    /// Every Route 53 call (hosted zones and their records).
    Route53,
    /// CloudWatch `GetMetricData`.
    Cloudwatch,
    /// CloudTrail `LookupEvents` (`--changes`).
    Cloudtrail,
    /// STS (`GetCallerIdentity`, `AssumeRole`).
    Sts,
}

impl Service {
    /// Every paced service.
    pub const ALL: [Service; 5] = [
        Self::Ec2,
        Self::Route53,
        Self::Cloudwatch,
        Self::Cloudtrail,
        Self::Sts,
    ];

    /// The name `--rate` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ec2 => "ec2",
            Self::Route53 => "route53",
            Self::Cloudwatch => "cloudwatch",
            Self::Cloudtrail => "cloudtrail",
            Self::Sts => "sts",
        }
    }

    /// AWS's documented rate, which linkscope keeps to unless `--rate` says otherwise.
    pub fn documented(self) -> Rate {
        match self {
            Self::Ec2 => EC2,
            Self::Route53 => ROUTE53,
            Self::Cloudwatch => CLOUDWATCH,
            Self::Cloudtrail => CLOUDTRAIL,
            Self::Sts => STS,
        }
    }
}

/// One `--rate` value: a service and its rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Override {
    /// The service.
    pub service: Service,
    /// Its rate.
    pub rate: Rate,
}

impl FromStr for Override {
    type Err = String;

    /// `SERVICE=PER_SECOND` or `SERVICE=PER_SECOND/BURST`. Without a burst, the documented
    /// one scales with the rate (EC2's 100 for 20 a second is 5 seconds of calls: `ec2=4`
    /// bursts 20).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let names = Service::ALL.map(Service::name).join(", ");
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| format!("expected SERVICE=PER_SECOND[/BURST] ({names})"))?;
        let service = Service::ALL
            .into_iter()
            .find(|s| s.name() == name.trim())
            .ok_or_else(|| format!("unknown service `{name}`: one of {names}"))?;
        let (per_second, burst) = match value.split_once('/') {
            Some((rate, burst)) => (rate, Some(burst)),
            None => (value, None),
        };
        let per_second: f64 = per_second
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| r.is_finite() && *r > 0.0)
            .ok_or_else(|| format!("`{per_second}` is not a positive number of calls a second"))?;
        let documented = service.documented();
        let burst = match burst {
            Some(burst) => burst
                .trim()
                .parse()
                .ok()
                .filter(|b: &u32| *b > 0)
                .ok_or_else(|| format!("`{burst}` is not a positive whole burst"))?,
            None => {
                let seconds = f64::from(documented.burst) / documented.per_second;
                (per_second * seconds)
                    .round()
                    .clamp(1.0, f64::from(u32::MAX)) as u32
            }
        };
        Ok(Self {
            service,
            rate: Rate { per_second, burst },
        })
    }
}

/// The rates of a run: the documented ones, with the `--rate` overrides.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    overrides: Arc<Vec<Override>>,
}

impl Rates {
    /// The documented rates, with `overrides` (the last one given for a service wins).
    pub fn new(overrides: &[Override]) -> Self {
        Self {
            overrides: Arc::new(overrides.to_vec()),
        }
    }

    /// The rate given with `--rate` for `service`, if one was.
    pub fn given(&self, service: Service) -> Option<Rate> {
        self.overrides
            .iter()
            .rev()
            .find(|o| o.service == service)
            .map(|o| o.rate)
    }

    /// The rate to keep to for `service`: the one given, else AWS's.
    pub fn get(&self, service: Service) -> Rate {
        self.given(service).unwrap_or_else(|| service.documented())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_override_names_a_service_a_rate_and_perhaps_a_burst() {
        let ec2: Override = "ec2=4".parse().unwrap();
        assert_eq!(ec2.service, Service::Ec2);
        assert_eq!(
            ec2.rate,
            Rate {
                per_second: 4.0,
                burst: 20
            },
            "5 s of calls, as AWS's 100 at 20/s"
        );
        let route53: Override = "route53=2.5/7".parse().unwrap();
        assert_eq!(
            route53.rate,
            Rate {
                per_second: 2.5,
                burst: 7
            }
        );
        let slow: Override = "cloudtrail=0.1".parse().unwrap();
        assert_eq!(slow.rate.burst, 1, "never less than one");
        for bad in [
            "ec2", "s3=1", "ec2=0", "ec2=-2", "ec2=fast", "ec2=1/0", "ec2=1/x", "ec2=inf",
        ] {
            assert!(bad.parse::<Override>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_documented_rates_hold_unless_one_is_given_and_the_last_given_wins() {
        let rates = Rates::new(&[
            "ec2=5".parse().unwrap(),
            "sts=1/1".parse().unwrap(),
            "ec2=8/8".parse().unwrap(),
        ]);
        assert_eq!(
            rates.get(Service::Ec2),
            Rate {
                per_second: 8.0,
                burst: 8
            }
        );
        assert_eq!(rates.get(Service::Route53), ROUTE53);
        assert_eq!(rates.given(Service::Cloudwatch), None);
        assert_eq!(Rates::default().get(Service::Cloudtrail), CLOUDTRAIL);
        assert_eq!((EC2.per_second, EC2.burst), (20.0, 100));
        assert_eq!((ROUTE53.per_second, ROUTE53.burst), (10.0, 50));
    }
}
