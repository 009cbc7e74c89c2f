from django.urls import path

from trienkhai.documents import views

urlpatterns = [path("", views.document_list, name="document-list")]
