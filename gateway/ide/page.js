// The IDE page's own script, served as is (no bundling): the token bar, and GraphiQL sending that token.
/* global React, ReactDOM, GraphiQL */
(function () {
  'use strict';
  var STORAGE_KEY = 'folkreg:ide:token';
  var DEFAULT_QUERY =
    '# Every request carries the bearer token above. Run: the button or Ctrl-Enter.\n' +
    '{\n  changeEvents(first: 3) {\n    edges {\n      node {\n        type\n        recordedAt\n        person { name { givenNames familyName } }\n      }\n    }\n  }\n}\n';
  var config = JSON.parse(document.getElementById('folkreg-ide-config').textContent);
  var endpoint = location.pathname; // the page is served at the GraphQL endpoint itself
  var form = document.getElementById('token-bar');
  var input = document.getElementById('token');
  var status = document.getElementById('token-status');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));

  function stored() {
    try {
      return localStorage.getItem(STORAGE_KEY) || '';
    } catch (e) {
      return ''; // storage disabled: the token lives only in the page
    }
  }

  function store(token) {
    try {
      if (token) localStorage.setItem(STORAGE_KEY, token);
      else localStorage.removeItem(STORAGE_KEY);
    } catch (e) {}
  }

  // A pasted token (kept in localStorage) wins over the development token the server pre-filled.
  var token = stored() || config.devToken || '';

  /** Scope and expiry from the JWT payload, for display only (the gateway verifies the token). */
  function claims(jwt) {
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '==='.slice((part.length + 3) % 4)));
    } catch (e) {
      return null;
    }
  }

  function describe() {
    if (!token) return 'No token: paste one (npm run -s token -- --scope "folkreg:read") and press "Use this token".';
    var c = claims(token) || {};
    var source = stored()
      ? 'Your token, kept in this browser (localStorage); "Forget" removes it.'
      : 'Development token pre-filled by npm start; paste another and press "Use this token" to change it.';
    var scope = c.scope ? ' Scope: ' + c.scope + '.' : '';
    var expiry = '';
    if (typeof c.exp === 'number') {
      var left = c.exp * 1000 - Date.now();
      expiry = left > 0 ? ' Expires ' + new Date(c.exp * 1000).toLocaleTimeString() + '.' : ' EXPIRED: reload the page or paste a new one.';
    }
    return source + scope + expiry;
  }

  function fetcher(params, options) {
    var headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    // Headers from GraphiQL's own Headers tab (e.g. folkreg-purpose) apply last.
    var extra = (options && options.headers) || {};
    for (var key in extra) headers[key.toLowerCase()] = extra[key];
    return fetch(endpoint, { method: 'POST', headers: headers, body: JSON.stringify(params) }).then(function (res) {
      return res.json();
    });
  }

  function render() {
    input.value = token;
    status.textContent = describe();
    // A new key remounts GraphiQL, so the schema is fetched again with the new token.
    root.render(
      React.createElement(GraphiQL, {
        key: token,
        fetcher: fetcher,
        defaultQuery: DEFAULT_QUERY,
      }),
    );
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    token = input.value.trim().replace(/^Bearer\s+/i, '');
    store(token === config.devToken ? '' : token);
    render();
  });
  document.getElementById('token-clear').addEventListener('click', function () {
    store('');
    token = config.devToken || '';
    render();
  });
  render();
})();
