from django.urls import path

from . import staff_views, views

app_name = "qa"
urlpatterns = [
    path("qa/", views.question_list, name="list"),
    path("qa/<int:pk>/", views.question_detail, name="detail"),
    path("qa/ask/", views.ask, name="ask"),
    path("qa/suggest/", views.suggest, name="suggest"),
    path("qa/track/", views.track, name="track"),
    path("qa/mine/<str:number>/", views.status, name="status"),
    path("staff/qa/", staff_views.queue, name="queue"),
    path("staff/qa/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("staff/qa/<int:pk>/route/", staff_views.route, name="route"),
    path("staff/qa/<int:pk>/refer/", staff_views.refer, name="refer"),
    path("staff/qa/<int:pk>/answer/", staff_views.answer, name="answer"),
    path("staff/qa/<int:pk>/send-back/", staff_views.send_back, name="send_back"),
    path("staff/qa/<int:pk>/publish/", staff_views.publish, name="publish"),
    path("staff/qa/<int:pk>/private/", staff_views.keep_private, name="keep_private"),
    path("staff/qa/<int:pk>/promote/", staff_views.promote, name="promote"),
]
