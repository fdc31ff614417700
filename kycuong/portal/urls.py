from django.urls import path

from . import account_views, mine_views, submit_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("hien-thi/", views.display, name="display"),
    path("tinh-han/", views.due_calculator, name="due_calculator"),
    # accounts
    path("tai-khoan/dang-ky/", account_views.sign_up, name="sign_up"),
    path("tai-khoan/dang-nhap/", account_views.sign_in, name="sign_in"),
    path("tai-khoan/nhap-ma/", account_views.verify, name="verify"),
    path("tai-khoan/dang-xuat/", account_views.sign_out, name="sign_out"),
    path("tai-khoan/", account_views.profile, name="profile"),
    path("tai-khoan/vneid/", account_views.vneid_start, name="vneid_start"),
    # online submission
    path("nop-truc-tuyen/", submit_views.catalogue, name="catalogue"),
    path("nop-truc-tuyen/bat-dau/<str:code>/", submit_views.start, name="start"),
    path("nop-truc-tuyen/<int:draft_id>/", submit_views.resume, name="draft"),
    path("nop-truc-tuyen/<int:draft_id>/nguoi-nop/", submit_views.applicant, name="draft_applicant"),
    path("nop-truc-tuyen/<int:draft_id>/giay-to/", submit_views.documents, name="draft_documents"),
    path("nop-truc-tuyen/<int:draft_id>/phi/", submit_views.fees, name="draft_fees"),
    path("nop-truc-tuyen/<int:draft_id>/kiem-tra/", submit_views.review, name="draft_review"),
    path("nop-truc-tuyen/da-nop/<str:code>/", submit_views.submitted, name="submitted"),
    # my dossiers
    path("ho-so-cua-toi/", mine_views.mine, name="mine"),
    path("ho-so-cua-toi/da-doc/", mine_views.read_notes, name="read_notes"),
    path("ho-so-cua-toi/<str:code>/", mine_views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/ket-qua/", mine_views.result, name="result"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", mine_views.rate, name="rate"),
    path("ho-so-cua-toi/<str:code>/bien-lai/<str:txn_ref>/", mine_views.receipt, name="receipt"),
    path("ho-so-truc-tuyen/<str:code>/tep/<int:file_id>/", mine_views.submitted_file, name="submitted_file"),
    path("lanh-dao/danh-gia/", mine_views.leader_queue, name="leader_queue"),
]
