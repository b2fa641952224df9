"""The back office: templates checked as on the staff page, rows in scope only."""

import pytest

from hall.notifications.models import NotificationTemplate
from hall.org.models import Center

pytestmark = pytest.mark.django_db

ADD = "/admin/notifications/notificationtemplate/add/"


def test_the_back_office_refuses_a_bad_template_and_keeps_the_scope(client, login_as):
    city = Center.objects.get(region_code="330800")
    login_as("city_admin")
    data = {"center": city.pk, "event": "accepted", "channel": "sms", "enabled": "on"}
    response = client.post(ADD, {**data, "text": "{signature}{secret_key}"})
    assert response.status_code == 200 and "无法识别的占位符" in response.content.decode()
    response = client.post(ADD, {**data, "event": "digest", "text": "{item}"})
    assert "没有这个通知模板" in response.content.decode()
    assert client.post(ADD, {**data, "text": "{signature}{item}已受理"}).status_code == 302
    row = NotificationTemplate.objects.get()
    change = f"/admin/notifications/notificationtemplate/{row.pk}/change/"
    assert login_as("kc_admin").get(change).status_code == 404  # the city is not 柯城区's
    assert login_as("scjg_clerk").get(change).status_code == 404
    assert login_as("city_admin").get("/admin/notifications/notification/").status_code == 200
