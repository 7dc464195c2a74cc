"""Login throttling, logout after inactivity and the refusal of NUL bytes."""

import time

import pytest
from django.urls import reverse

from conftest import make_user
from safeguards.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db


def _attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_login_for_fifteen_minutes_with_a_chinese_message(client, settings):
    user = make_user("employee")
    user.set_password("right-password-1")
    user.save()
    for _ in range(4):
        assert _attempt(client, user.username, "wrong").status_code == 200
    locked = _attempt(client, user.username, "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "登录失败次数过多" in text and "15" in text
    # Even the right password is refused while locked.
    assert _attempt(client, user.username, "right-password-1").status_code == 429
    # Another account from the same address is not locked.
    other = make_user("employee")
    other.set_password("right-password-2")
    other.save()
    assert _attempt(client, other.username, "right-password-2").status_code == 302


def test_a_successful_login_resets_the_count(client):
    user = make_user("employee")
    user.set_password("right-password-1")
    user.save()
    for _ in range(4):
        _attempt(client, user.username, "wrong")
    assert _attempt(client, user.username, "right-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, user.username, "wrong").status_code == 200


def test_an_idle_session_is_logged_out(client, settings):
    user = make_user("hr_officer")
    user.set_password("right-password-1")
    user.save()
    assert _attempt(client, user.username, "right-password-1").status_code == 302
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_active_session_stays(client, settings):
    user = make_user("hr_officer")
    client.force_login(user)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 120
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 5


def test_session_settings(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4


@pytest.mark.parametrize("method", ["get", "post"])
def test_nul_bytes_are_refused_with_400(client, hr_user, method):
    client.force_login(hr_user)
    response = getattr(client, method)(reverse("home"), {"q": "abc\x00def"})
    assert response.status_code == 400
    response = getattr(client, method)(reverse("login"), {"username": "a\x00"})
    assert response.status_code == 400
