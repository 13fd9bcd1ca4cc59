from django.urls import path

from needlepoint.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_new, name="new"),
    path("<uuid:public_id>/edit/", views.client_edit, name="edit"),
    path("<uuid:public_id>/", views.client_detail, name="detail"),
    path("<uuid:public_id>/export.zip", views.client_export, name="export"),
    path("<uuid:public_id>/erasure/", views.client_erasure, name="erasure"),
    path("<uuid:public_id>/merge/", views.client_merge_page, name="merge"),
    path("<uuid:public_id>/review/", views.client_review, name="review"),
    path(
        "<uuid:public_id>/reviews/<uuid:review_id>/letter",
        views.client_review_letter,
        name="review_letter",
    ),
    path("<uuid:public_id>/photo-consent/", views.client_photo_consent, name="photo_consent"),
]
