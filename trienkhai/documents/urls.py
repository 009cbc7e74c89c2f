from django.urls import path

from trienkhai.documents import views

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("new/", views.document_create, name="document-create"),
    path("import/edxml/", views.document_import_edxml, name="document-import-edxml"),
    path("<int:pk>/edxml/", views.document_edxml, name="document-edxml"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("<int:pk>/cascade/", views.document_cascade, name="document-cascade"),
    path("<int:pk>/relations/", views.document_relate, name="document-relate"),
    path("<int:pk>/attachments/", views.document_attach, name="document-attach"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="document-attachment-download",
    ),
    path("relations/<int:pk>/delete/", views.relation_delete, name="document-relation-delete"),
]
