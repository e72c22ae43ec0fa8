/**
 * The core's messages are written once, for both faces, and some tell a CLI user which flag
 * to pass. On screen the same advice names the field or button instead: each phrase the core
 * says with a flag, as the window says it. test/unit/screen-words.test.ts reads the core's
 * sources and fails when a message with a flag has no screen words here.
 */
const PHRASES: readonly (readonly [RegExp, string])[] = [
  // Devices (probe failures), as the Add device dialog names its fields.
  [/the CA given with --tls-ca/g, 'the CA given as “CA certificate”'],
  [/\(--tls-cert, --tls-key\)/g, '(“Client certificate” and “Client key”)'],
  [/add it with --plain-tcp/g, 'choose “Plain TCP, without TLS”'],
  [
    /add the device with --tls-ca, --tls-cert and --tls-key/g,
    'give the device its “CA certificate”, “Client certificate” and “Client key”',
  ],
  // Registries, as the Imports screen's registry form names its fields.
  [
    /drop --plain-http \(and pass its CA with --ca if it is not public\)/g,
    'untick “Plain HTTP” (and trust its CA file if it is not public)',
  ],
  [/pass its CA with --ca/g, 'trust its CA file (“Trust a CA file…”)'],
  [/use --plain-http/g, 'tick “Plain HTTP”'],
  [/pass --username and --password/g, 'fill in “Username” and “Password”'],
  // Kits are packed on the command line only: the window says so, without its flags.
  [
    /with `kit pack <package> --image <archive> -o <kit>`/g,
    'on the command line (commissioner kit pack, with this archive as an image of the kit)',
  ],
  [/images travel separately \(--image\)/g, 'images travel separately (as images of the kit)'],
  [
    /a kit packed with `kit pack --component ([^`]+)=<compose folder>`/g,
    'a kit packed with its compose folder as component $1 (commissioner kit pack, on the command line)',
  ],
  [
    /a kit packed with `kit pack --image <docker save archive of ([^`]+)>`/g,
    'a kit packed with a docker save archive of $1 (commissioner kit pack, on the command line)',
  ],
  [
    /`import --with-dependencies` from the registry/g,
    'an import “With dependencies” from the registry',
  ],
];

/** A message of the core in the window's words: fields and buttons, never CLI flags. */
export function screenWords(message: string): string {
  let said = message;
  for (const [phrase, words] of PHRASES) said = said.replace(phrase, words);
  return said;
}
