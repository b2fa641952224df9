"""The staff pages of the messages between windows: my threads (unread first),
a new thread, a thread with its reply form, an attachment."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.core.files import private_file_response
from hall.core.permissions import staff_required

from . import selectors, services
from .constants import PAGE_SIZE, RIGHT_USE
from .errors import MessagingError
from .forms import ReplyForm, ThreadForm
from .models import Message, MessageFile, Participant


@staff_required(RIGHT_USE)
@require_GET
def thread_list(request):
    qs = selectors.with_unread(selectors.threads_of(request.user), request.user).order_by(
        "-unread", "-last_message_at", "-id"
    )
    number = request.GET.get("page") or "1"
    page = Paginator(
        qs.prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("id"))),
        PAGE_SIZE,
    ).get_page(number if number.isdigit() else 1)
    return render(
        request,
        "messaging/staff/list.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@staff_required(RIGHT_USE)
@require_http_methods(["GET", "POST"])
def thread_new(request):
    form = ThreadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                thread = services.thread_start(
                    actor=request.user,
                    subject=d["subject"],
                    body=d["body"],
                    departments=list(d["departments"]),
                    windows=list(d["windows"]),
                    staff_members=list(d["staff_members"]),
                    uploads=request.FILES.getlist("files"),
                )
            except MessagingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, pgettext("messaging", "信息已发送。"))
                return redirect("messaging:detail", pk=thread.pk)
        status = 400
    return render(request, "messaging/staff/new.html", {"form": form}, status=status)


def _thread(request, pk: int):
    return get_object_or_404(selectors.threads_of(request.user), pk=pk)


def _detail(request, thread, form, status=200):
    items = list(
        Message.objects.filter(thread=thread)
        .prefetch_related(Prefetch("files", queryset=MessageFile.objects.order_by("id")))
        .order_by("id")
    )
    return render(
        request,
        "messaging/staff/detail.html",
        {
            "thread": thread,
            "parties": list(thread.participants.order_by("id")),
            "items": items,
            "form": form,
        },
        status=status,
    )


@staff_required(RIGHT_USE)
@require_GET
def thread_detail(request, pk: int):
    thread = _thread(request, pk)
    # Opening the thread reads it: the mark moves before the badge is drawn.
    services.thread_mark_read(actor=request.user, thread=thread)
    request.user._messaging_unread = None
    return _detail(request, thread, ReplyForm())


@staff_required(RIGHT_USE)
@require_POST
def reply(request, pk: int):
    thread = _thread(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                uploads=request.FILES.getlist("files"),
            )
        except MessagingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, pgettext("messaging", "回复已发送。"))
            return redirect("messaging:detail", pk=thread.pk)
    return _detail(request, thread, form, status=400)


@staff_required(RIGHT_USE)
@require_GET
def message_file(request, pk: int, file_id: int):
    thread = _thread(request, pk)
    record = MessageFile.objects.filter(pk=file_id, message__thread=thread).first()
    if record is None:
        raise Http404
    return private_file_response(
        record.file,
        record.original_name,
        inline=record.kind in {"png", "jpeg"},
        kind=record.kind,
    )
