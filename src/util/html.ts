/**
 * The one way HTML is written: the `html` tagged template. Every interpolated
 * value is escaped unless it is markup the template itself made (`SafeHtml`),
 * so model or suite text cannot reach a page unescaped by accident. The few
 * constant fragments that must go in as they are (the page's inline CSS and
 * script) say so with `trustedHtml()`.
 *
 * Where a value lands is read from the template's own literal text, once per
 * call site: between tags it is text (escaped; markup kept), inside a quoted
 * attribute value it is text only (escaped, quotes included; markup there is a
 * bug), and in a tag outside quotes only markup may go, since escaping cannot
 * make a string such as `onclick=alert(1)` harmless there.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for element content and quoted attribute values: & < > " ' as entities. Not exported: pages escape through `html`. */
function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

let wrap: (markup: string) => SafeHtml;

/** Markup made by `html` or declared with `trustedHtml`: interpolated as it is, never escaped twice. */
export class SafeHtml {
  readonly #markup: string;

  private constructor(markup: string) {
    this.#markup = markup;
  }

  static {
    wrap = (markup) => new SafeHtml(markup);
  }

  /** True only for markup made here: an object that merely has SafeHtml's prototype is not. */
  static isSafe(value: unknown): value is SafeHtml {
    return typeof value === "object" && value !== null && #markup in value;
  }

  toString(): string {
    return this.#markup;
  }
}

/** What a template hole takes: markup, text, a number, nothing (null, undefined), or a list of these (joined as they are). */
export type HtmlValue = SafeHtml | string | number | bigint | null | undefined | readonly HtmlValue[];

type Hole = "text" | "attribute" | "tag";

const holesBySite = new WeakMap<TemplateStringsArray, Hole[]>();

/** Where each hole of a template sits, from its literal text: between tags, in a quoted attribute value, or in a tag. */
function holesOf(strings: TemplateStringsArray): Hole[] {
  const known = holesBySite.get(strings);
  if (known) return known;
  let state: "text" | "tag" | '"' | "'" = "text";
  const holes: Hole[] = [];
  for (const literal of strings.slice(0, -1)) {
    for (let i = 0; i < literal.length; i++) {
      const char = literal[i]!;
      if (state === "text") {
        // As HTML reads it: `<` opens a tag only before a letter, `/`, `!` or `?` (or a hole, to be safe); `p < 0.05` is text.
        if (char === "<" && (i + 1 === literal.length || /[A-Za-z/!?]/.test(literal[i + 1]!))) state = "tag";
      } else if (state === "tag") {
        if (char === ">") state = "text";
        else if (char === '"' || char === "'") state = char;
      } else if (char === state) state = "tag";
    }
    holes.push(state === "text" ? "text" : state === "tag" ? "tag" : "attribute");
  }
  holesBySite.set(strings, holes);
  return holes;
}

function render(value: HtmlValue, hole: Hole): string {
  if (value === null || value === undefined) return "";
  if (SafeHtml.isSafe(value)) {
    if (hole === "attribute") throw new TypeError("html: markup interpolated into an attribute value");
    return value.toString();
  }
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item, hole)).join("");
  const text = String(value);
  if (hole === "tag" && text !== "") throw new TypeError(`html: text interpolated into a tag outside an attribute value: ${JSON.stringify(text.slice(0, 40))}`);
  return escapeText(text);
}

/** The HTML template: `html\`<td class="${cls}">${text}</td>\`` escapes `cls` and `text`, and keeps nested `html` markup as it is. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  const holes = holesOf(strings);
  let markup = strings[0]!;
  for (let i = 0; i < values.length; i++) markup += render(values[i], holes[i]!) + strings[i + 1]!;
  return wrap(markup);
}

/** What `attribute` takes as a name: lowercase ASCII letters, digits and hyphens, starting with a letter (`data-status`). */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * One attribute, ` name="value"`, for markup whose attribute name is chosen at
 * run time (`data-${key}`). A template that starts inside a tag cannot see that
 * it is in one (`html\` data-${key}="${v}"\`` reads both holes as text), so the
 * name is checked here and the value is escaped as an attribute value (markup
 * refused).
 */
export function attribute(name: string, value: string | number): SafeHtml {
  if (!ATTRIBUTE_NAME.test(name)) throw new TypeError(`html: not an attribute name: ${JSON.stringify(name.slice(0, 40))}`);
  return wrap(` ${name}="${render(value, "attribute")}"`);
}

/** Constant markup written in this codebase (inline CSS, the page script), taken as it is. Never model, suite or report text. */
export function trustedHtml(markup: string): SafeHtml {
  return wrap(markup);
}

/**
 * A JSON data block, `<script type="application/json" id="…">`: never run, read
 * by the page's script with JSON.parse(textContent). Inside a script element
 * the HTML parser decodes no entities and stops only at `</script` (after `<!--`
 * it may not stop there at all), so every `<` in the JSON is written as the JSON
 * escape \u003c: no value, whatever its text, can end or alter the element.
 */
export function jsonScript(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(/</g, "\\u003c");
  return html`<script type="application/json" id="${id}">${wrap(json)}</script>`;
}

/** Items joined by a separator (text, escaped), e.g. rows one per line. */
export function joinHtml(items: readonly HtmlValue[], separator: string): SafeHtml {
  return wrap(items.map((item) => render(item, "text")).join(escapeText(separator)));
}
