import pytest
from django.test import Client

from bureau.accounts.roles import ROLES
from tests.conftest import make_user


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_can_log_in_and_sees_home(role):
    user = make_user(role, username=f"u_{role}", password="pass-12345")
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": "pass-12345"})
    assert response.status_code == 302
    assert client.get("/", follow=True).status_code == 200  # 专家: the home page is 我的评审


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_chinese_message(settings):
    make_user("staff", username="locked", password="pass-12345")
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "locked", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "locked", "password": "pass-12345"})
    assert response.status_code == 429
    assert "锁定 15 分钟" in response.content.decode()
    # The account is locked from another address too.
    other = Client(REMOTE_ADDR="10.0.0.8")
    assert other.post("/accounts/login/", {"username": "locked", "password": "pass-12345"}).status_code == 429


@pytest.mark.django_db
def test_wrong_password_says_so_in_chinese(client):
    make_user("staff", username="someone", password="pass-12345")
    response = client.post("/accounts/login/", {"username": "someone", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_roles_grant_as_documented():
    staff, reviewer, leader, admin = (ROLES[r] for r in ("staff", "reviewer", "leader", "admin"))
    assert staff.grants("core.add_policy") and not staff.grants("core.change_annualtarget")
    assert not staff.grants("programs.review_application") and reviewer.grants("programs.review_application")
    assert leader.grants("core.view_policy") and not leader.grants("core.add_policy")
    assert admin.grants("core.change_annualtarget") and admin.grants("auth.change_user")
