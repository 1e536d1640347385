/** Where the settings live in XMP; the URI only has to be unique, it is never fetched (and has no regex syntax). */
const NAMESPACE = 'urn:neural-style:settings:1/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** An XMP packet holding each entry as a simple property `<nst:key>value</nst:key>` of our namespace. */
export function settingsToXmp(entries: Readonly<Record<string, string>>): string {
  const props = Object.entries(entries).map(([k, v]) => `<nst:${k}>${escapeXml(v)}</nst:${k}>`);
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description rdf:about="" xmlns:nst="${NAMESPACE}">${props.join('')}</rdf:Description>` +
    '</rdf:RDF></x:xmpmeta>'
  );
}

/**
 * The entries `settingsToXmp` wrote. The prefix is looked up from the namespace rather than assumed, since
 * tools that rewrite XMP may rename it; other properties of the packet are ignored.
 */
export function settingsFromXmp(xmp: string): Record<string, string> {
  const out: Record<string, string> = {};
  const decl = new RegExp(`xmlns:([A-Za-z_][\\w-]*)=["']${NAMESPACE}["']`).exec(xmp);
  if (!decl) return out;
  const prop = new RegExp(`<${decl[1]}:([A-Za-z][\\w-]*)>([^<]*)</${decl[1]}:\\1>`, 'g');
  for (const m of xmp.matchAll(prop)) out[m[1]] = unescapeXml(m[2]);
  return out;
}
