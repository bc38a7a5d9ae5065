"""Fixture builders: a shipped plain text → the same document as GBK text, hard-wrapped text, HTML, DOCX or PDF.

Nothing here is committed as a binary: every test builds its files from the shipped texts.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from knowledge.config import ROOT
from knowledge.formats.reflow import display_width

LAWS = ROOT.parent / "shared" / "corpus" / "laws"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条[\s　]")


def law(name: str) -> str:
    """A law's file name start ('就业促进法') → its shipped plain text."""
    (path,) = sorted(LAWS.glob(f"{name}-*.txt"))[-1:]
    return path.read_text("utf-8")


def paragraphs(text: str) -> list[str]:
    """Text → its non-blank lines with all whitespace removed (the comparison unit of the tests)."""
    return [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]


def articles(text: str) -> list[str]:
    """Text → its articles (第X条 to the next), whitespace removed, each article's paragraphs run together."""
    found: list[str] = []
    for line in text.splitlines():
        if _ARTICLE.match(line.strip()):
            found.append("")
        if found:
            found[-1] += re.sub(r"\s+", "", line)
    return found


def wrap(paragraph: str, width: int, first_indent: str = "") -> list[str]:
    """A paragraph → lines no wider than `width` half-width cells, as a PDF viewer copies them out."""
    lines, current = [], first_indent
    for ch in paragraph:
        if display_width(current + ch) > width and not ch.isspace():
            lines.append(current)
            current = ""
        current += ch
    return lines + [current]


def hard_wrapped(text: str, width: int, *, blank: bool, indent: bool, page_lines: int = 0, header: str = "") -> str:
    """Plain text → the same text hard-wrapped at `width`, with page numbers 「— N —」 and a running header."""
    lines: list[str] = []
    for para in (line.strip() for line in text.splitlines() if line.strip()):
        lines += wrap(para, width, "\u3000\u3000" if indent else "")
        if blank:
            lines.append("")
    if not page_lines:
        return "\n".join(lines) + "\n"
    out = []
    for number, start in enumerate(range(0, len(lines), page_lines), start=1):
        out += ([header] if header and number > 1 else []) + lines[start:start + page_lines] + [f"— {number} —"]
    return "\n".join(out) + "\n"



_CENTRED = re.compile(r"^第[一二三四五六七八九十百零]+[编章节][\s　]|^目\s*录$")


def pdf(text: str, *, indent: bool = True, gap: float = 0.0, header: bool = True, footer: str = "— {n} —",
        size: float = 14.0, spread: int = -1, encrypt=None) -> bytes:
    """Plain text → a PDF as governments print laws: centred title and chapters, running header, page numbers.

    `indent` gives each paragraph a two-character first-line indent; `gap` adds space between
    paragraphs (in lines). `spread` ≥ 0 justifies: every wrapped line is filled to `spread`
    characters short of the edge, then its characters are spaced out to reach it (`spread` > 0
    is distributed alignment, 分散对齐). The CJK font is embedded: a real text layer.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    page = _Pages(Canvas(buf, pagesize=A4, encrypt=encrypt), A4, header, footer, size)
    paras = [line.strip() for line in text.splitlines() if line.strip()]
    page.title = paras[0]
    for number, para in enumerate(paras):
        centred = number == 0 or bool(_CENTRED.match(para))
        font_size = size + 4 if number == 0 else size
        first = 2 * font_size if indent and not centred else 0.0
        lines = _fit(para, page.width - max(spread, 0) * font_size, first, font_size)
        for i, line in enumerate(lines):
            reach = page.width - first * (i == 0) if spread >= 0 and i < len(lines) - 1 else 0.0
            page.draw(line, first if i == 0 else 0.0, centred, font_size, reach)
        page.y -= gap * page.leading
    page.finish()
    return buf.getvalue()


def _cjk_font() -> str:
    """Register the embedded CJK font once → its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    return "WQY"


def _fit(paragraph: str, width: float, first: float, size: float) -> list[str]:
    """A paragraph → lines that fit `width` points (the first `first` points narrower), ragged right."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current, room = [], "", width - first
    for ch in paragraph:
        if current and stringWidth(current + ch, _cjk_font(), size) > room and not ch.isspace():
            lines.append(current)
            current, room = "", width
        current += ch
    return lines + [current]


class _Pages:
    """A reportlab canvas that starts a new page (running header, page number) when the text reaches the bottom."""

    def __init__(self, canvas, pagesize, header: bool, footer: str, size: float):
        self.canvas, (self.page_w, self.page_h) = canvas, pagesize
        self.header, self.footer, self.number, self.title = header, footer, 1, ""
        self.left, self.top, self.bottom = 80.0, self.page_h - 90.0, 90.0
        self.width, self.leading = self.page_w - 2 * self.left, size * 1.8
        self.y = self.top

    def draw(self, line: str, indent: float, centred: bool, size: float, spread: float = 0.0) -> None:
        """Draw one line at the current height (spread over `spread` points), turning the page when it is full."""
        if self.y < self.bottom:
            self._turn()
        self.canvas.setFont(_cjk_font(), size)
        if centred:
            self.canvas.drawCentredString(self.page_w / 2, self.y, line)
        else:
            self._put(line, self.left + indent, size, spread)
        self.y -= self.leading

    def _put(self, line: str, x: float, size: float, spread: float) -> None:
        """Draw a line from x; when `spread`, each character at its own place so the line is that wide."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if not spread or len(line) < 2:
            self.canvas.drawString(x, self.y, line)
            return
        gap = (spread - stringWidth(line, _cjk_font(), size)) / (len(line) - 1)
        for ch in line:  # positioned glyph by glyph, as word processors write justified lines
            self.canvas.drawString(x, self.y, ch)
            x += stringWidth(ch, _cjk_font(), size) + gap

    def finish(self) -> None:
        """Print the last page number and close the document."""
        self._page_number()
        self.canvas.save()

    def _page_number(self) -> None:
        if self.footer:
            self.canvas.setFont(_cjk_font(), 11)
            self.canvas.drawCentredString(self.page_w / 2, 50, self.footer.format(n=self.number))

    def _turn(self) -> None:
        self._page_number()
        self.canvas.showPage()
        self.number, self.y = self.number + 1, self.top
        if self.header:
            self.canvas.setFont(_cjk_font(), 10)
            self.canvas.drawCentredString(self.page_w / 2, self.page_h - 50, self.title)


_PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_政策法规_广东省人力资源和社会保障厅</title>
<link rel="stylesheet" href="/css/main.css"><script>var _hmt = _hmt || []; (function() {{ }})();</script>
</head><body>
<div class="header"><div class="top"><a href="#">无障碍</a> | <a href="#">长者模式</a> | <a href="#">繁體</a> | <a href="#">登录</a></div>
<div class="logo"><img src="/images/logo.png" alt="广东省人力资源和社会保障厅"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/jggk/">机构概况</a></li><li><a href="/xwdt/">新闻动态</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/zcfg/">政策法规</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zcfg/">政策法规</a> &gt; <a href="/zcfg/flfg/">法律法规</a></div>
<div class="main"><div class="article">
<h1 class="title">{title}</h1>
<div class="info"><span>发布日期：2022-06-01</span><span>来源：本网</span><span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/zcfg/1.html">广东省人民政府转发国务院关于做好当前和今后一段时期就业创业工作意见的通知</a></li>
<li><a href="/zcfg/2.html">关于进一步做好高校毕业生等青年就业创业工作的通知</a></li>
<li><a href="/zcfg/3.html">广东省人力资源和社会保障厅关于失业保险金标准调整的通知</a></li></ul></div></div>
<div class="footer"><p>主办单位：广东省人力资源和社会保障厅　地址：广州市越秀区东风中路</p>
<p>网站标识码：4400000023　<a href="https://beian.miit.gov.cn/">粤ICP备05008962号</a>　粤公网安备 44010402000000号</p>
<p>版权所有 © 广东省人力资源和社会保障厅　联系我们　网站地图　隐私声明</p></div>
</body></html>
"""


def html_page(text: str, *, charset: str = "gb2312", markup: str = "p", table: list[list[str]] | None = None) -> bytes:
    """Plain text → a saved government page holding it: navigation, breadcrumbs, share/print links, related links, footer.

    `markup` "p": one <p> per paragraph, chapters centred; "br": one block with <br> between
    paragraphs; "table": "p" inside the nested layout tables of older government sites. `table`
    adds a data table after the text. The title goes into <title> and <h1>, as sites print it.
    Encoded in `charset`, declared in a <meta>.
    """
    from html import escape

    paras = [line.strip() for line in text.splitlines() if line.strip()]
    if markup == "br":
        body = "<div>" + "<br/>\n".join(f"　　{escape(p)}" for p in paras[1:]) + "</div>"
    else:
        body = "\n".join(f'<p align="center">{escape(p)}</p>' if _CENTRED.match(p) else
                         f'<p style="text-indent:2em">{escape(p)}</p>' for p in paras[1:])
    if table:
        body += "\n<table border=\"1\">" + "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table) + "</table>"
    page = _PAGE.format(charset=charset, title=escape(paras[0]), body=body)
    if markup == "table":
        page = page.replace('<div class="main">', _LAYOUT_TABLE_OPEN).replace('<div class="footer">', _LAYOUT_TABLE_CLOSE)
    return page.encode("gb18030" if charset.lower() in {"gb2312", "gbk", "gb18030"} else charset)


_LAYOUT_TABLE_OPEN = ('<table width="960" border="0"><tr><td width="200" valign="top"><ul><li><a href="/zcjd/">政策解读</a>'
                      '</li><li><a href="/flfg/">法律法规</a></li><li><a href="/gfxwj/">规范性文件</a></li></ul></td>'
                      '<td valign="top"><table><tr><td class="bt_content"><div class="main">')
_LAYOUT_TABLE_CLOSE = '</td></tr></table></td></tr></table><div class="footer">'


def docx_file(text: str, *, table: list[list[str]] | None = None, header: str = "") -> bytes:
    """Plain text → a Word document: title centred, one paragraph per line, optional table and page header."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for number, para in enumerate(line.strip() for line in text.splitlines() if line.strip()):
        paragraph = document.add_paragraph(para)
        if number == 0 or _CENTRED.match(para):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def picture_png(text: str = "第一条　扫描件") -> bytes:
    """A small PNG picture of some text, as a scanner would produce it."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (600, 120), 255)
    ImageDraw.Draw(image).text((10, 40), text, fill=0, font=ImageFont.truetype(str(CJK_FONT), 32))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def zip_package(parts: dict[str, bytes]) -> bytes:
    """{part name: bytes} → a deflated zip package (a hand-made DOCX)."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buf.getvalue()


def docx_of_images() -> bytes:
    """A Word document holding only a scanned page picture."""
    import docx

    document = docx.Document()
    document.add_picture(io.BytesIO(picture_png()))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose pages are pictures only (no text layer), as a scanner produces."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    for _ in range(2):
        canvas.drawImage(ImageReader(io.BytesIO(picture_png())), 50, 600, width=500, height=100)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
