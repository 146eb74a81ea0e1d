from django.urls import path

from ctpat.audits import views

app_name = "audits"
urlpatterns = [
    # Partners and agency staff (each through access).
    path("", views.audit_list, name="list"),
    path("<int:request_id>/", views.audit_detail, name="detail"),
    path("<int:request_id>/documents/<int:document_id>/", views.document_download, name="document"),
    # The agency.
    path("send/<int:partner_id>/", views.audit_send, name="send"),
    path("<int:request_id>/items/<int:item_id>/accept/", views.item_accept, name="accept"),
    path("<int:request_id>/items/<int:item_id>/ask-again/", views.item_ask_again, name="ask_again"),
    # The partner.
    path("<int:request_id>/items/<int:item_id>/answer/", views.item_answer, name="answer"),
]
