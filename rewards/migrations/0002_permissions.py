"""Gives the roles their permissions on rewards (issue 6).

Who may decide a given award is further limited by tier, department and segregation in
``rewards.services.decisions`` (``penalties.authority``); who may nominate by the
departments they head (``rewards.services.service_star``)."""

from django.db import migrations

from staff.migrations_support import grant

READ = [
    "rewards.view_rewardtype",
    "rewards.view_award",
    "rewards.view_awardevidence",
    "rewards.view_awardtransition",
    "rewards.view_rewardnotice",
    "rewards.view_servicestarnomination",
    "rewards.view_rewardsettings",
]
OWN = ["rewards.view_own_awards"]

GRANTS = {
    "hr_officer": [
        *READ,
        "rewards.add_award",
        "rewards.void_award",
        "rewards.print_reward_notice",
        "rewards.select_service_star",
        "rewards.change_rewardsettings",
    ],
    "department_head": [
        "rewards.view_rewardtype",
        "rewards.view_award",
        "rewards.view_awardevidence",
        "rewards.view_awardtransition",
        "rewards.view_rewardnotice",
        "rewards.view_servicestarnomination",
        "rewards.decide_award",
        "rewards.nominate_service_star",
    ],
    "deputy_gm": [*READ, "rewards.decide_award"],
    "gm": [
        *READ,
        "rewards.decide_award",
        "rewards.select_service_star",
        "rewards.change_rewardsettings",
    ],
    "payroll_clerk": [
        "rewards.view_rewardtype",
        "rewards.view_award",
        "rewards.view_awardtransition",
        "rewards.view_rewardnotice",
    ],
    "employee": OWN,
    "auditor": READ,
}


def grant_reward_permissions(apps, schema_editor):
    grant(apps, "rewards", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_rewards"), ("staff", "0002_roles")]

    operations = [migrations.RunPython(grant_reward_permissions, migrations.RunPython.noop)]
