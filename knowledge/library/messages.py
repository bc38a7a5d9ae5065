"""Why an upload cannot be used, in Chinese for the staff member who uploaded it. The parser's errors are
written for operators (English, naming file and line); each known reason maps to a sentence here, and an
unknown one is shown after a Chinese lead-in so nothing is hidden."""

from __future__ import annotations

import re

from knowledge.errors import SourceError, UnplaceableSource

REASONS = [
    (r"over the limit of (\d+) MB", "文件超过大小上限（{0} MB），请压缩或拆分后再上传。"),
    (r"zip bomb", "该 DOCX 文件解压后的大小异常（疑似“压缩炸弹”），已拒绝。请用 Word 重新保存后再上传。"),
    (r"declares a DOCTYPE", "该 DOCX 文件含有 XML 实体声明（DOCTYPE），正常的 Word 文件不会包含，已拒绝。"),
    (r"old Word \.doc or a password-protected", "这是旧版 .doc 文件或加密文档，请另存为未加密的 .docx 后再上传。"),
    (r"not a DOCX file|not a Word document|not a readable DOCX", "该文件不是有效的 DOCX 文档（可能已损坏或扩展名不符）。"),
    (r"only images", "该 DOCX 只含图片、没有文字（可能是扫描件），请上传带文字的版本。"),
    (r"PDF has no text layer", "该 PDF 没有文字层（可能是扫描件），请上传带文字的版本。"),
    (r"PDF is encrypted", "该 PDF 设有密码，请上传未加密的版本。"),
    (r"not a readable PDF", "该文件不是有效的 PDF（可能已损坏或扩展名不符）。"),
    (r"page has no article body", "网页中没有找到正文（只有导航、链接或页脚）。"),
    (r"file is empty|no text found", "文件是空的，没有可读取的文字。"),
    (r"control bytes|neither UTF-8 nor GBK|invalid \S+ byte", "无法识别文件的文字编码（不是 UTF-8、GBK 或 GB18030 文本）。"),
    (r"unsupported format", "不支持该文件格式，请上传 .txt、.md、.html、.htm、.docx 或 .pdf 文件。"),
    (r"not a policy document", "未能识别为政策文件：没有找到文号行，也没有法规标题及其后的题注、“第X条”条文。"),
    (r"no article body|no articles", "找到了法规标题，但没有找到“第X条”条文。"),
]


def explain(exc: SourceError) -> str:
    """A parser error → one Chinese sentence saying why the file cannot be used (line number kept)."""
    reason = getattr(exc, "reason", str(exc))
    where = f"（第 {exc.line} 行）" if exc.line and isinstance(exc, UnplaceableSource) else ""
    for pattern, text in REASONS:
        match = re.search(pattern, reason)
        if match:
            return text.format(*match.groups()) + where
    return f"无法读取该文件{where}：{reason}"
