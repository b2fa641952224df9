"""The hall's REST API (/api/v1/), documented by OpenAPI at /api/v1/docs."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .agencies import router as agencies_router
from .announcements import results_router
from .announcements import router as announcements_router
from .applications import router as applications_router
from .complaints import router as complaints_router  # complaints hall
from .items import router as items_router
from .policies import router as policies_router
from .questions import router as questions_router
from .ratings import router as ratings_router  # 好差评: the rating channels

api = NinjaAPI(
    title="网上办事大厅 开放接口 (Online Service Hall API)",
    version="1.0.0",
    description=(
        "事项目录、网上申报与办件查询接口。Catalogue, online application and status "
        "lookup for platforms and apps that integrate with the hall."
    ),
    urls_namespace="api",
)
api.add_router("/items", items_router)
api.add_router("/applications", applications_router)
api.add_router("/policies", policies_router)
api.add_router("/questions", questions_router)
api.add_router("/announcements", announcements_router)
api.add_router("/results", results_router)
api.add_router("/agencies", agencies_router)
# 好差评: the rating channels
api.add_router("/ratings", ratings_router)
api.add_router("/complaints", complaints_router)  # complaints hall

# ---- ratings figures: GET /api/v1/ratings/stats (public 好差评 figures) ----
from .rating_stats import router as rating_stats_router  # noqa: E402

api.add_router("/ratings/stats", rating_stats_router)
# ---- end of the ratings figures' part ----


@api.exception_handler(NinjaValidationError)
def validation_errors(request: HttpRequest, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("query", "path", "body", "form")]
        errors.append(
            {
                "field": ".".join(loc),
                "message": str(_("参数格式不正确。")),
                "detail": err.get("msg", ""),
            }
        )
    return api.create_response(
        request, {"detail": str(_("请求参数有误，请检查后重试。")), "errors": errors}, status=422
    )


# 好差评 (the rating channels): a JSON body that cannot be read (not JSON, not
# UTF-8) gets a Chinese message; every other HttpError answers as before.
@api.exception_handler(HttpError)
def http_errors(request: HttpRequest, exc: HttpError):
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        detail = str(_("请求内容无法解析：请以 UTF-8 编码的 JSON 提交。"))
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
