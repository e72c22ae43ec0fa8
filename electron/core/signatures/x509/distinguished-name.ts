import type { Name } from '@peculiar/asn1-x509';

// The short names notation (Go's pkix.Name) prints; other attributes appear as their OID.
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.17': 'POSTALCODE',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

/** The attributes in encoding order (outermost RDN first). */
export function nameAttributes(name: Name): { type: string; value: string }[] {
  return name.flatMap((rdn) =>
    rdn.map((attribute) => ({
      type: SHORT_NAMES[attribute.type] ?? attribute.type,
      value: attribute.value.toString(),
    })),
  );
}

/**
 * RFC 4514 rendering: last RDN first, RDNs joined by ", " (notation's trusted identities are
 * written this way), multi-valued RDNs joined by "+", special characters escaped.
 */
export function formatDistinguishedName(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      rdn
        .map(
          (attribute) =>
            `${SHORT_NAMES[attribute.type] ?? attribute.type}=${escapeValue(attribute.value.toString())}`,
        )
        .join('+'),
    )
    .join(', ');
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (character) => `\\${character}`)
    .replace(/^[ #]/, (character) => `\\${character}`)
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}
