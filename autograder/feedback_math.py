"""Feedback pages whose maths shows without the internet.

nbconvert leaves a notebook's LaTeX ($...$, $$...$$) as text for MathJax, which it loads from a CDN: on a class's
hub without the internet, or in JupyterLab's HTML viewer (which runs no scripts of an untrusted page), a student
sees raw LaTeX. Here the feedback page's Markdown renderer writes each formula as MathML instead (latex2mathml),
which browsers draw themselves. A formula latex2mathml cannot read is shown as written, in code type.
"""
from html import escape

from jinja2 import pass_context
from latex2mathml.converter import convert
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath


def mathml(latex, display):
    """A formula as MathML (display "inline" or "block"); as code type if it cannot be converted."""
    try:
        return convert(latex.strip(), display=display)
    except Exception:  # noqa: BLE001 (latex2mathml raises many kinds; any means "cannot convert")
        return f"<code>{escape(latex)}</code>"


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with MathML for maths."""

    def inline_math(self, body):
        return mathml(body, "inline")

    def block_math(self, body):
        return mathml(body, "block")

    def latex_environment(self, name, body):
        return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")


class FeedbackExporter(HTMLExporter):
    """The HTML exporter of the course's feedback pages (GenerateFeedback.exporter_class)."""

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}),
                                  embed_images=self.embed_images,
                                  path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                                  anchor_link_text=self.anchor_link_text,
                                  exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        return MarkdownWithMath(renderer=renderer).render(source)
