"""The catalogue after seed_demo's rulebooks: every rulebook, its rule count, the Chinese
summaries of sample rules, warnings, search, permissions and pinned query counts."""

import pytest
from django.urls import reverse

from conduct.models import Rule, Rulebook, RulebookVersion
from conduct.tests.test_rulebook_support import load_book, seed_rulebooks
from staff.models import CompanySettings, Region

pytestmark = pytest.mark.django_db

RULE_COUNTS = {
    "bank-points": 2,
    "customer-service": 12,
    "hospital-service": 30,
    "hospitality": 25,
    "moh-eight": 8,
    "service-bonus": 6,
    "service-management": 7,
    "water-utility": 10,
}


@pytest.fixture
def seeded(db):
    seed_rulebooks()


def _version(code: str) -> RulebookVersion:
    return RulebookVersion.objects.get(rulebook__code=code)


def _cards(response) -> dict[str, object]:
    return {
        card.rule.number: card for section in response.context["sections"] for card in section.cards
    }


def test_demo_seed_loads_the_eight_rulebooks_with_their_rules(seeded):
    counts = {
        book.code: Rule.objects.filter(version__rulebook=book).count()
        for book in Rulebook.objects.all()
    }
    assert counts == RULE_COUNTS
    hospital = _version("hospital-service")
    discipline = hospital.categories.get(name__contains="劳动纪律")
    numbers = list(discipline.rules.order_by("position").values_list("number", flat=True))
    assert numbers == [str(n) for n in range(11, 19)]
    assert hospital.categories.count() == 4


def test_demo_seed_is_idempotent(seeded):
    seed_rulebooks()
    assert Rulebook.objects.count() == 8
    assert Rule.objects.count() == sum(RULE_COUNTS.values())


def test_catalogue_lists_every_rulebook_with_its_version_in_force(client, employee_user, seeded):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rulebook_list"))
    assert response.status_code == 200
    entries = {entry.rulebook.code: entry for entry in response.context["entries"]}
    assert set(entries) == set(RULE_COUNTS)
    assert {code: entry.version.rule_count for code, entry in entries.items()} == RULE_COUNTS
    content = response.content.decode()
    assert "全员优质服务规范与处罚细则" in content
    assert 'data-testid="rulebook-hospital-service"' in content


def test_hospital_rule_22_reads_ten_times_the_amount_received(client, employee_user, seeded):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rulebook_detail", args=["hospital-service"]))
    assert response.status_code == 200
    card = _cards(response)["22"]
    assert card.summary.startswith("所收金额的10倍罚款")
    assert "视情节给予通报批评/解职待聘/解聘" in card.summary
    assert "本章处罚条款" not in card.summary  # the note is shown apart
    assert "本章处罚条款" in card.note
    kinds = {badge.kind for badge in card.badges}
    assert {"money", "sanction"} <= kinds
    assert "所收金额的10倍罚款" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "number", "expected"),
    [
        ("hospital-service", "1", "每次罚款¥50"),
        ("hospital-service", "11", "罚款¥100–200,视情节轻重"),
        ("hospital-service", "24", "罚款¥200–1,000,视情节轻重"),
        ("service-management", "2", "第1次罚款¥30;第2次起每次"),
        ("customer-service", "10.8", "第1次罚款¥10;第2次起每次罚款¥20(按月计次,跨月不累计)"),
        ("moh-eight", "3", "视情节给予通报批评/"),
        ("hospitality", "1.3(3)", "扣3倍日工资"),
        ("service-bonus", "1", "当月奖金的50%"),
    ],
)
def test_catalogue_summaries_of_sample_rules(client, employee_user, seeded, code, number, expected):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rulebook_detail", args=[code]))
    assert expected in _cards(response)[number].summary


def test_badges_show_points_and_second_parties(client, employee_user, seeded):
    client.force_login(employee_user)
    bank = _cards(client.get(reverse("conduct:rulebook_detail", args=["bank-points"])))
    assert any(badge.kind == "points" for badge in bank["8"].badges)
    assert any(badge.kind == "party" for badge in bank["8"].badges)
    assert any(badge.kind == "trigger" for badge in bank["3"].badges)
    water = _cards(client.get(reverse("conduct:rulebook_detail", args=["water-utility"])))
    assert [b.kind for b in water["1"].badges].count("party") == 1


def test_every_seeded_rule_has_a_summary(client, employee_user, seeded):
    client.force_login(employee_user)
    for code in RULE_COUNTS:
        cards = _cards(client.get(reverse("conduct:rulebook_detail", args=[code])))
        assert len(cards) == RULE_COUNTS[code]
        assert all(card.summary and not card.error for card in cards.values()), code


def test_version_without_adoption_evidence_warns(client, employee_user, seeded):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rulebook_list"))
    entry = next(e for e in response.context["entries"] if e.rulebook.code == "moh-eight")
    assert any("民主程序" in warning for warning in entry.warnings)
    version = _version("moh-eight")
    version.consultation_body = "职工代表大会"
    version.consultation_date = version.effective_from
    version.publication_date = version.effective_from
    version.save()
    response = client.get(reverse("conduct:rulebook_detail", args=["moh-eight"]))
    assert response.context["warnings"] == []
    assert "rulebook-warning" not in response.content.decode()


def test_fines_warning_only_where_the_region_treats_fines_as_unlawful(
    client, employee_user, seeded
):
    client.force_login(employee_user)
    url = reverse("conduct:rulebook_detail", args=["hospital-service"])
    assert not any("罚款" in w for w in client.get(url).context["warnings"])
    company = CompanySettings.get()
    company.region = Region.GUANGDONG
    company.save()
    warnings = client.get(url).context["warnings"]
    assert any("违法" in w for w in warnings)
    # moh-eight has sanctions only: no fines warning there
    moh = client.get(reverse("conduct:rulebook_detail", args=["moh-eight"])).context["warnings"]
    assert not any("违法" in w for w in moh)
    entries = client.get(reverse("conduct:rulebook_list")).context["entries"]
    fined = {e.rulebook.code for e in entries if any("违法" in w for w in e.warnings)}
    assert "hospital-service" in fined
    assert "moh-eight" not in fined


def test_version_list_shows_dates_and_adoption_evidence(client, auditor_user, seeded):
    version = _version("hospital-service")
    version.consultation_body = "职工代表大会"
    version.save()
    client.force_login(auditor_user)
    response = client.get(reverse("conduct:version_list", args=["hospital-service"]))
    content = response.content.decode()
    assert "职工代表大会" in content
    assert version.effective_from.isoformat() in content
    assert 'data-testid="missing-evidence"' in content  # no dates yet


def test_search_finds_rules_across_rulebooks(client, employee_user, seeded):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rule_search"), {"q": "红包"})
    found = {(c.rule.version.rulebook.code, c.rule.number) for c in response.context["cards"]}
    assert ("hospital-service", "22") in found
    assert ("moh-eight", "3") in found
    only = client.get(reverse("conduct:rule_search"), {"q": "红包", "rulebook": "moh-eight"})
    assert {c.rule.version.rulebook.code for c in only.context["cards"]} == {"moh-eight"}


def test_search_by_title_and_number(client, employee_user, seeded):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rule_search"), {"q": "迟到早退"})
    numbers = {(c.rule.version.rulebook.code, c.rule.number) for c in response.context["cards"]}
    assert ("customer-service", "10.8") in numbers
    response = client.get(
        reverse("conduct:rule_search"), {"q": "10.8", "rulebook": "customer-service"}
    )
    assert [c.rule.number for c in response.context["cards"]] == ["10.8"]


def test_empty_search_shows_nothing(client, employee_user, seeded):
    client.force_login(employee_user)
    response = client.get(reverse("conduct:rule_search"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 0


def test_print_page_is_a_poster_of_the_whole_version(client, employee_user, seeded):
    client.force_login(employee_user)
    version = _version("hospital-service")
    response = client.get(reverse("conduct:version_print", args=["hospital-service", version.pk]))
    content = response.content.decode()
    assert "@media print" in content
    assert content.count('data-testid="poster-rule-') == 30
    assert "所收金额的10倍罚款" in content


def test_rule_page_breaks_the_schedule_down(client, employee_user, seeded):
    client.force_login(employee_user)
    rule = Rule.objects.get(version__rulebook__code="service-management", number="2")
    response = client.get(reverse("conduct:rule_detail", args=[rule.pk]))
    steps = response.context["breakdown"]["steps"]
    assert len(steps) == 2
    assert steps[0].text == "罚款¥30"
    assert "按年度计次" in response.context["breakdown"]["counting"]


def test_missing_rulebook_and_version_are_404(client, employee_user, seeded):
    client.force_login(employee_user)
    assert client.get(reverse("conduct:rulebook_detail", args=["nope"])).status_code == 404
    other = _version("moh-eight")
    url = reverse("conduct:version_detail", args=["hospital-service", other.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("conduct:rule_detail", args=[999999])).status_code == 404


def test_catalogue_needs_a_login(client):
    response = client.get(reverse("conduct:rulebook_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["conduct:rulebook_import"])
def test_only_hr_manages_rulebooks(client, employee_user, hr_user, url_name):
    client.force_login(employee_user)
    assert client.get(reverse(url_name)).status_code == 403
    client.force_login(hr_user)
    assert client.get(reverse(url_name)).status_code == 200


def test_every_role_reads_the_catalogue_and_only_hr_sees_management(
    client, hr_user, head_user, gm_user, deputy_user, payroll_user, auditor_user, employee_user
):
    version = load_book()
    detail = reverse("conduct:version_detail", args=[version.rulebook.code, version.pk])
    for user in (hr_user, head_user, gm_user, deputy_user, payroll_user, auditor_user):
        client.force_login(user)
        response = client.get(detail)
        assert response.status_code == 200
        assert ('data-testid="create-next"' in response.content.decode()) == (user == hr_user)
    client.force_login(employee_user)
    assert client.get(detail).status_code == 200
    next_url = reverse("conduct:version_create_next", args=[version.rulebook.code, version.pk])
    assert client.get(next_url).status_code == 403


def test_navigation_offers_the_catalogue_to_every_login(employee_user):
    from staff.navigation import nav_for

    assert reverse("conduct:rulebook_list") in {item["url"] for item in nav_for(employee_user)}


# --- query counts -----------------------------------------------------------------------


def _books(count: int) -> None:
    CompanySettings.get()  # the row exists in any real database
    for index in range(count):
        load_book(code=f"book-{index}")


@pytest.mark.parametrize("books", [2, 8])
def test_catalogue_query_count_does_not_grow_with_rulebooks(
    client, employee_user, books, django_assert_num_queries
):
    _books(books)
    client.force_login(employee_user)
    # session, user, the user's and the groups' permissions (2), role names for the
    # navigation; rulebooks, their versions with rule counts, the shown versions' rules
    # (fines), company settings
    with django_assert_num_queries(9):
        response = client.get(reverse("conduct:rulebook_list"))
    assert len(response.context["entries"]) == books


@pytest.mark.parametrize("per_page", [10, 50])
def test_search_query_count_does_not_grow_with_page_size(
    client, employee_user, per_page, django_assert_num_queries
):
    _books(30)  # 90 rules, all with "。" in their text
    client.force_login(employee_user)
    # session, user, permissions (2), role names; rulebooks for the filter, count, rows
    with django_assert_num_queries(8):
        response = client.get(reverse("conduct:rule_search"), {"q": "。", "per_page": per_page})
    assert len(response.context["cards"]) == per_page


@pytest.mark.parametrize("rules", [3, 40])
def test_version_page_query_count_does_not_grow_with_rules(
    client, employee_user, rules, django_assert_num_queries
):
    from conduct.tests.test_rulebook_support import FIXED_50

    data = [
        {"number": str(n), "text": f"第{n}条。", "schedule": FIXED_50} for n in range(1, rules + 1)
    ]
    version = load_book(rules=data)
    CompanySettings.get()
    client.force_login(employee_user)
    url = reverse("conduct:version_detail", args=[version.rulebook.code, version.pk])
    # session, user, permissions (2), role names; rulebook, version, versions list,
    # categories, their rules, company settings
    with django_assert_num_queries(11):
        response = client.get(url)
    assert sum(len(s.cards) for s in response.context["sections"]) == rules
