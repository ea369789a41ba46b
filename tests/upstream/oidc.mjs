// oidc.mjs - a real OAuth 2.0 / OpenID Connect provider for the tests:
// oidc-provider (from npm) on a loopback port of its own, with two clients
// registered for Ostium's callback (one authenticating with
// client_secret_post, one with client_secret_basic), refresh tokens
// (rotated, so a replayed one is refused and its grant revoked), the
// revocation endpoint, userinfo and PKCE (S256). Consent is given at once
// for the account the tests name. Token lifetimes and failures are set by
// the tests through /test/ endpoints, which also say what the provider
// saw.
//
// usage: node tests/upstream/oidc.mjs CALLBACK_URL
// Prints one line of JSON: {"pid", "port", "issuer", "clients": {"post":
// {"client_id", "client_secret"}, "basic": {...}}}; stops on SIGTERM.
//
//   GET  /test/stats              what the provider saw (token requests,
//                                 refreshes, codes, revocations, the last
//                                 authorize request's PKCE challenge...)
//   POST /test/set?KEY=VALUE...   accessTtl (seconds), account, deny (1/0:
//                                 refuse consent), tokenStatus (answer every
//                                 token request with this status), slowMs
//                                 (hold token requests this long; one whose
//                                 client went away meanwhile is never
//                                 served), requirePkce (1/0)
//   GET  /test/active?token=AT    {active}: whether access token AT is good
//   POST /test/revoke-grants      every grant given so far is revoked, so
//                                 that their refresh tokens are refused
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const callback = process.argv[2];
if (!callback || !/^https?:\/\//.test(callback)) {
  process.stderr.write('usage: node tests/upstream/oidc.mjs CALLBACK_URL\n');
  process.exit(2);
}

const settings = { accessTtl: 3600, account: 'alice', deny: false, tokenStatus: 0, slowMs: 0, requirePkce: false };
const stats = {
  tokenRequests: 0, refreshes: 0, codes: 0, revocations: 0, authorizations: 0,
  grantErrors: [], lastChallenge: null, lastChallengeMethod: null, lastVerifier: null,
  lastClientAuth: null, lastContentType: null, lastClientId: null, refusedTokenRequests: 0,
  abandonedTokenRequests: 0,
};
const grants = [];
const secret = () => crypto.randomBytes(24).toString('base64url');
const clients = {
  post: { client_id: 'ostium-post', client_secret: secret(), token_endpoint_auth_method: 'client_secret_post' },
  basic: { client_id: 'ostium-basic', client_secret: secret(), token_endpoint_auth_method: 'client_secret_basic' },
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: Object.values(clients).map((c) => ({
    ...c,
    redirect_uris: [callback],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  })),
  jwks: { keys: [jwk] },
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, email: `${sub}@example.org`, email_verified: true, name: `Person ${sub}`, preferred_username: sub }),
  }),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    introspection: { enabled: true },
    userinfo: { enabled: true },
  },
  pkce: { required: () => settings.requirePkce, methods: ['S256'] },
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  ttl: {
    AccessToken: () => settings.accessTtl,
    AuthorizationCode: 120,
    IdToken: 3600,
    RefreshToken: 86400,
    Grant: 86400,
    Interaction: 600,
    Session: 600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: [secret()] },
});

provider.on('grant.success', (ctx) => {
  const type = ctx.oidc.params.grant_type;
  if (type === 'refresh_token') stats.refreshes++;
  if (type === 'authorization_code') {
    stats.codes++;
    stats.lastVerifier = ctx.oidc.params.code_verifier ? 'present' : null;
  }
});
provider.on('grant.error', (ctx, err) => {
  stats.grantErrors.push(err.error);
});

// Consent, given at once (or refused when the tests say so).
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  let result;
  if (settings.deny) {
    result = { error: 'access_denied', error_description: 'The person did not consent' };
  } else {
    const grant = new provider.Grant({ accountId: settings.account, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope || 'openid');
    const grantId = await grant.save();
    grants.push(grantId);
    result = { login: { accountId: settings.account }, consent: { grantId } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function control(req, res, url) {
  switch (url.pathname) {
    case '/test/stats':
      return json(res, 200, stats);
    case '/test/set':
      for (const [k, v] of url.searchParams) {
        if (!(k in settings)) return json(res, 400, { error: `unknown setting ${k}` });
        settings[k] = typeof settings[k] === 'number' ? Number(v) : typeof settings[k] === 'boolean' ? v === '1' || v === 'true' : v;
      }
      return json(res, 200, settings);
    case '/test/active': {
      const token = await provider.AccessToken.find(url.searchParams.get('token') || '');
      return json(res, 200, { active: !!token && !token.isExpired });
    }
    case '/test/revoke-grants':
      for (const id of grants.splice(0)) {
        const grant = await provider.Grant.find(id);
        if (grant) await grant.destroy();
      }
      return json(res, 200, {});
    default:
      return json(res, 404, {});
  }
}

const handle = provider.callback();
server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname.startsWith('/test/')) return await control(req, res, url);
    if (url.pathname.startsWith('/interaction/')) return await interaction(req, res);
    if (url.pathname === '/auth') {
      stats.authorizations++;
      stats.lastChallenge = url.searchParams.get('code_challenge');
      stats.lastChallengeMethod = url.searchParams.get('code_challenge_method');
      stats.lastClientId = url.searchParams.get('client_id');
    }
    if (url.pathname === '/token/revocation' && req.method === 'POST') stats.revocations++;
    if (url.pathname === '/token' && req.method === 'POST') {
      stats.tokenRequests++;
      stats.lastClientAuth = req.headers.authorization ? 'basic' : 'post';
      stats.lastContentType = req.headers['content-type'] || null;
      if (settings.slowMs) {
        await sleep(settings.slowMs);
        if (req.socket.destroyed) {
          stats.abandonedTokenRequests++;
          return undefined; /* the client went away: nothing was done */
        }
      }
      if (settings.tokenStatus) {
        stats.refusedTokenRequests++;
        return json(res, settings.tokenStatus, { error: 'temporarily_unavailable' });
      }
    }
    return handle(req, res);
  } catch (err) {
    process.stderr.write(`oidc.mjs: ${err.stack}\n`);
    if (!res.headersSent) json(res, 500, { error: 'server_error' });
    return undefined;
  }
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ pid: process.pid, port, issuer, clients })}\n`);
