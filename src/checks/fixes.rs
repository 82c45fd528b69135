//! The create and enable commands several families give as fixes: an interface endpoint in
//! the workload's subnets and groups, the S3 gateway endpoint on the workload's route tables,
//! private DNS turned on (the conflicting zone taken away first).

use crate::checks::context::Ctx;
use crate::model::VpcEndpoint;

/// One subnet per workload zone, for create commands (an endpoint takes one subnet per AZ).
pub fn one_subnet_per_zone(ctx: &Ctx) -> String {
    let mut seen = Vec::new();
    let subnets: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter(|s| {
            let new = !seen.contains(&s.availability_zone);
            seen.push(s.availability_zone.clone());
            new
        })
        .map(|s| s.id.as_str())
        .collect();
    if subnets.is_empty() {
        r#""$SUBNET_A" "$SUBNET_B""#.to_string()
    } else {
        subnets.join(" ")
    }
}

/// A command creating an interface endpoint of `service` in the workload subnets with the
/// workload groups (`extra` appended, e.g. ` --private-dns-enabled`).
pub fn create_interface_fix(ctx: &Ctx, service: &str, extra: &str) -> String {
    let groups = if ctx.workload.security_group_ids.is_empty() {
        r#""$SG_ID""#.to_string()
    } else {
        ctx.workload.security_group_ids.join(" ")
    };
    let mut unknown = Vec::new();
    if ctx.workload.subnets.is_empty() {
        unknown.push("# SUBNET_A, SUBNET_B: workload subnets in two availability zones\n");
    }
    if ctx.workload.security_group_ids.is_empty() {
        unknown.push("# SG_ID: the workload's security group\n");
    }
    format!(
        "{}aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Interface --service-name {service} --subnet-ids {} --security-group-ids {groups}{extra} --region {}",
        unknown.concat(),
        ctx.vpc_id(),
        one_subnet_per_zone(ctx),
        ctx.region()
    )
}

/// A command creating the S3 gateway endpoint on the workload's route tables.
pub fn gateway_create_fix(ctx: &Ctx) -> String {
    let mut tables: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter_map(|s| ctx.effective_route_table(&s.id))
        .map(|t| t.id.as_str())
        .collect();
    tables.sort();
    tables.dedup();
    let (unknown, tables) = if tables.is_empty() {
        (
            "# RTB_ID: the route table of the workload's subnets\n",
            r#""$RTB_ID""#.to_string(),
        )
    } else {
        ("", tables.join(" "))
    };
    format!(
        "{unknown}aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Gateway --service-name {} --route-table-ids {tables} --region {}",
        ctx.vpc_id(),
        ctx.service_name("s3"),
        ctx.region()
    )
}

/// The command that turns the endpoint's private DNS on; first, when a zone associated with
/// the VPC holds the name (AWS refuses private DNS then), the one that takes the zone away.
pub fn enable_fix(ctx: &Ctx, endpoint: &VpcEndpoint) -> String {
    let enable = format!(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled",
        endpoint.id
    );
    match ctx.zone_holding(&endpoint.service_name) {
        Some(zone) => format!(
            "# {} ({}) holds the name and is associated with the VPC: AWS refuses private DNS until it is not\naws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id {} --vpc VPCRegion={},VPCId={}\n{enable}",
            zone.id,
            zone.name,
            zone.id,
            ctx.region(),
            ctx.vpc_id()
        ),
        None => enable,
    }
}
