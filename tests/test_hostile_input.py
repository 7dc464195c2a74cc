"""Hostile input: every POST form a role can open is submitted with bad values (empty,
10,000 characters, control characters, scripts, SQL, impossible dates, absurd amounts,
formula injection, mixed GBK/UTF-8 files). The answer is a form error, a 4xx or a
redirect after safe storage; never a server error, and a stored script comes back escaped.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests.test_permission_matrix import EXPECTED, ROLES, _objects, _targets

HOSTILE = [
    "",
    "x" * 10_000,
    "a\x00b",
    "\x1b[31mred\x07",
    "<script>alert(1)</script>",
    "'; DROP TABLE staff_employee; --",
    "1 OR 1=1",
    "2026-02-30",
    "1e309",
    "0.001",
    "-1",
    "NaN",
    "abc",
    '=HYPERLINK("http://evil.example","点我")',
    "张三\u202e",
]
MIXED_BYTES = (
    "工号,姓名,日期,时间\nE0015,".encode() + "周".encode("gbk") + b",2026-02-30,08:00\n\xff\xfe\x00"
)
SCRIPT = "<script>alert(1)</script>"
FORM_ROLES = ["hr", "gm", "deputy", "head", "employee", "payroll"]
SKIP = {"logout", "set_language", "login", "password_change"}


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, type, first option)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", tag).lower() if tag == "input" else tag
            field = [a["name"], kind, a.get("value", "")]
            self._form["fields"].append(field)
            self._select = field if tag == "select" else None
        elif tag == "option" and self._select is not None and not self._select[2]:
            self._select[2] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _payload(fields, value, *, hostile_choices):
    data = {}
    for name, kind, default in fields:
        if kind in ("hidden", "submit", "button") or name == "csrfmiddlewaretoken":
            data[name] = default
        elif kind == "file":
            data[name] = SimpleUploadedFile(f"{value[:50]}.csv", MIXED_BYTES, "text/csv")
        elif kind in ("select", "checkbox", "radio") and not hostile_choices:
            data[name] = default
        else:
            data[name] = value
    return data


@pytest.mark.django_db
def test_every_form_survives_hostile_values():
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth.models import User

    targets = list(_targets(_objects()))
    failures, unescaped, forms_seen = [], [], set()
    for role in FORM_ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=role))
        index = ROLES.index(role)
        for name, variant, path in targets:
            if name in SKIP or EXPECTED[(name, variant)].split()[index] != "200":
                continue
            page = client.get(path)
            if "text/html" not in page.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(page.content.decode("utf-8", "replace"))
            for form in parser.forms:
                action = form["action"] or path
                if "logout" in action or "setlang" in action:
                    continue
                if (name, action) in forms_seen:
                    # Validation is the form's, whoever posts it: each form is attacked
                    # once, by the first role that can open it.
                    continue
                forms_seen.add((name, action))
                for value in HOSTILE:
                    for hostile_choices in (False, True):
                        data = _payload(form["fields"], value, hostile_choices=hostile_choices)
                        response = client.post(action, data)
                        if response.status_code >= 500:
                            failures.append(
                                f"{role} {name} {action} {value[:30]!r}: {response.status_code}"
                            )
                        elif response.status_code == 200 and SCRIPT in response.content.decode(
                            "utf-8", "replace"
                        ):
                            unescaped.append(f"{role} {name} {action}")
                        elif response.status_code == 302 and value == SCRIPT:
                            shown = client.get(response.url)
                            if SCRIPT in shown.content.decode("utf-8", "replace"):
                                unescaped.append(f"{role} {name} -> {response.url}")
    assert len(forms_seen) >= 10, sorted(forms_seen)
    assert not failures, "\n".join(failures)
    assert not unescaped, "\n".join(unescaped)
