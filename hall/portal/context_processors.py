from .constants import COLUMNS


def nav(request):
    return {"NAV_COLUMNS": COLUMNS}
