"""Error responses in Chinese for the people who read them: invalid requests → 422 with a sentence
per problem (the field-level details stay alongside for developers)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

FIELDS = {"message": "消息", "sender_id": "会话编号", "query": "问题", "top_k": "条数", "body": "请求体"}


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, _invalid)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A validation error → 422 {"detail": "…", "errors": [...]} with a Chinese sentence per problem."""
    errors = exc.errors()
    detail = "；".join(dict.fromkeys(_sentence(e) for e in errors)) or "请求格式不正确。"
    return JSONResponse(status_code=422, content={"detail": detail, "errors": _plain(errors)})


def _sentence(error: dict) -> str:
    """One pydantic error → a Chinese sentence naming the field."""
    field = FIELDS.get(str(error.get("loc", ["", ""])[-1]), str(error.get("loc", [""])[-1]))
    ctx, kind = error.get("ctx") or {}, error.get("type", "")
    if kind == "json_invalid":
        return "请求体不是合法的 JSON"
    if kind == "missing":
        return f"缺少「{field}」"
    if kind == "string_too_long":
        return f"「{field}」过长（最多 {ctx.get('max_length')} 个字）"
    if kind == "string_too_short":
        return f"「{field}」不能为空"
    if kind == "string_pattern_mismatch":
        return f"「{field}」只能包含字母、数字和 _.:@-"
    if kind in ("less_than_equal", "greater_than_equal", "int_parsing", "int_type"):
        return f"「{field}」应为合适范围内的整数"
    return f"「{field}」格式不正确"


def _plain(errors: list[dict]) -> list[dict]:
    """Errors → JSON-safe dicts (ctx may hold exceptions)."""
    return [{"loc": list(e.get("loc", [])), "type": e.get("type"), "msg": e.get("msg")} for e in errors]
