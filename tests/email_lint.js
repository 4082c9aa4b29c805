// Lints e-mail HTML against caniemail.com's data (through @jsx-email/doiuse-email) for the
// clients named in CLIENTS (globs, comma-separated). Reads {"name": html} JSON on stdin and
// prints {"name": {"errors": [...], "notes": [...]}}, each list without repeats.
const { doIUseEmail } = require('@jsx-email/doiuse-email');

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const clients = (process.env.CLIENTS || 'apple-mail.*,gmail.*,outlook.*').split(',');
  const out = {};
  for (const [name, html] of Object.entries(JSON.parse(input))) {
    const result = doIUseEmail(html, { emailClients: clients });
    out[name] = { errors: [...new Set(result.errors || [])], notes: [...new Set(result.notes || [])] };
  }
  process.stdout.write(JSON.stringify(out));
});
