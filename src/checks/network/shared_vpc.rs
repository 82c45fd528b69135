//! Subnets shared with the caller (*Access an AWS service using an interface VPC endpoint ›
//! Shared subnets*): the owner's endpoints are out of sight.

use crate::checks::context::Ctx;
use crate::checks::docs::{INTERFACE_ENDPOINTS, MWAA_OWN_ENDPOINTS, cite};
use crate::checks::finding::{Finding, Severity};
use crate::checks::rule::{Family, Rule};
use crate::model::Source;

/// Workload subnets another account shares with the caller (*Access an AWS service using an
/// interface VPC endpoint › Shared subnets*; *Managing your own Amazon VPC endpoints on Amazon
/// MWAA*).
pub const SHARED_SUBNET: Rule = Rule {
    id: "vpce-shared-subnet-unverifiable",
    severity: Severity::Info,
    title: "The workload's subnets belong to the caller's account (endpoints in shared subnets are out of sight)",
    docs: &[
        cite(INTERFACE_ENDPOINTS, "Shared subnets"),
        cite(MWAA_OWN_ENDPOINTS, ""),
    ],
    needs: &[Source::CallerIdentity, Source::Subnets],
    reads: &[],
};

/// Shared subnets.
pub const FAMILY: Family = Family {
    name: "Shared VPC",
    rules: &[SHARED_SUBNET],
    run,
};

/// Why a row cannot fail for an endpoint it does not see, in a VPC `owner` shares.
pub fn out_of_sight(owner: &str) -> String {
    format!(
        "shared VPC owned by {owner}: endpoints that the owner created are not visible from this account; run linkscope with the owner's credentials (--profile) to verify."
    )
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let caller = ctx.snap.caller_account.as_deref().unwrap_or("?");
    let finding = match ctx.shared_owner() {
        Some(owner) => SHARED_SUBNET.info(
            ctx.vpc(),
            format!(
                "The workload's subnets belong to {owner}, not to the caller's account {caller}. You can't create, describe, modify, or delete VPC endpoints in subnets that are shared with you, but you can use them: endpoints this account does not see are reported as unknown. Run linkscope with the owner's credentials (--profile) to verify them."
            ),
        ),
        None => SHARED_SUBNET.pass(
            ctx.vpc(),
            format!("The workload's subnets belong to the caller's account {caller}."),
        ),
    };
    vec![finding.involving(ctx.workload.subnets.iter().map(|s| s.id.clone()))]
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::Source;

    #[test]
    fn subnets_of_another_account_are_a_shared_vpc() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-shared-subnet-unverifiable");
        let owner = "444455556666";
        for s in &mut snap.subnets {
            s.owner_id = Some(owner.into());
        }
        snap.vpc.owner_id = Some(owner.into());
        let subnet = snap.workload_subnet(0);
        let f = assert_flags(
            &snap,
            "vpce-shared-subnet-unverifiable",
            Status::Info,
            &subnet,
        );
        assert!(f.detail.contains(owner), "{}", f.detail);
        // Without the caller's account nobody can tell.
        snap.caller_account = None;
        snap.fail(Source::CallerIdentity);
        assert_eq!(
            only(&snap, "vpce-shared-subnet-unverifiable").status,
            Status::Unknown
        );
    }
}
