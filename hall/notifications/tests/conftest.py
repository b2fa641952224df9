import pytest

from .provider import API_KEY, Provider


@pytest.fixture
def provider(settings):
    """The stand-in provider on a loopback port, with the HTTP gateway aimed at it."""
    p = Provider()
    settings.NOTIFY_HTTP_URL = p.start()
    settings.NOTIFY_HTTP_API_KEY = API_KEY
    settings.NOTIFY_GATEWAY = "http"
    settings.NOTIFY_HTTP_TIMEOUT = 2.0
    yield p
    p.stop()


@pytest.fixture
def outbox_file(settings, tmp_path):
    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"
