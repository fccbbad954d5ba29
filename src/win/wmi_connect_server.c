#include "wmi_connect_server.h"

#include "wmi_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wmi_connection_s {
  IWbemServices *services;
  bool remote;
  /* The proxy keeps a pointer to this identity: it lives as long as the
   * connection. */
  COAUTHIDENTITY identity;
  wchar_t *user, *domain, *password;
  IUnsecuredApartment *unsecured;
};

HRESULT wmi_connection_init_security(void) {
  HRESULT hr =
      CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                           RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
  return hr == RPC_E_TOO_LATE ? S_OK : hr;
}

static void wipe_free(wchar_t *secret) {
  if (secret != NULL)
    SecureZeroMemory(secret, wcslen(secret) * sizeof(wchar_t));
  free(secret);
}

/* "DOMAIN\user" gives domain and user; a bare user name has no domain. */
static int split_user(wmi_connection_t *c, const char *username) {
  const char *slash = strchr(username, '\\');
  if (slash != NULL) {
    size_t len = (size_t)(slash - username);
    char *domain = malloc(len + 1); /* no strndup in mingw's CRT */
    if (domain != NULL) {
      memcpy(domain, username, len);
      domain[len] = '\0';
      c->domain = wmi_wide_from_utf8(domain);
    }
    free(domain);
    c->user = wmi_wide_from_utf8(slash + 1);
    return c->domain && c->user ? 0 : -1;
  }
  c->user = wmi_wide_from_utf8(username);
  return c->user ? 0 : -1;
}

static HRESULT set_remote_identity(wmi_connection_t *c, const wmi_host_t *h) {
  if (h->username == NULL)
    return S_OK; /* the service's own account */
  if (split_user(c, h->username) != 0)
    return E_OUTOFMEMORY;
  if (h->password != NULL &&
      (c->password = wmi_wide_from_utf8(h->password)) == NULL)
    return E_OUTOFMEMORY;
  c->identity.User = (USHORT *)c->user;
  c->identity.UserLength = (ULONG)wcslen(c->user);
  c->identity.Domain = (USHORT *)c->domain;
  c->identity.DomainLength = c->domain ? (ULONG)wcslen(c->domain) : 0;
  c->identity.Password = (USHORT *)c->password;
  c->identity.PasswordLength = c->password ? (ULONG)wcslen(c->password) : 0;
  c->identity.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
  return S_OK;
}

static HRESULT connect_server(IWbemLocator *locator, wmi_connection_t *c,
                              const wmi_host_t *h, const char *ns) {
  char path[1024];
  if (c->remote)
    snprintf(path, sizeof(path), "\\\\%s\\%s", h->address, ns);
  else
    snprintf(path, sizeof(path), "%s", ns);
  BSTR bpath = bstr_from_utf8(path);
  BSTR buser = c->remote ? bstr_from_utf8(h->username) : NULL;
  BSTR bpass = c->remote ? bstr_from_utf8(h->password) : NULL;
  BSTR bauth = c->remote ? bstr_from_utf8(h->authority) : NULL;
  HRESULT hr =
      bpath == NULL
          ? E_OUTOFMEMORY
          : IWbemLocator_ConnectServer(locator, bpath, buser, bpass, NULL,
                                       /* bounds a connect to a dead host */
                                       WBEM_FLAG_CONNECT_USE_MAX_WAIT, bauth,
                                       NULL, &c->services);
  if (bpass != NULL)
    SecureZeroMemory(bpass, SysStringByteLen(bpass));
  SysFreeString(bpath);
  SysFreeString(buser);
  SysFreeString(bpass);
  SysFreeString(bauth);
  return hr;
}

/* Packet privacy for remote hosts: values and credentials are encrypted on
 * the wire. */
static HRESULT set_blanket(wmi_connection_t *c, IUnknown *proxy) {
  return CoSetProxyBlanket(
      proxy, RPC_C_AUTHN_DEFAULT, RPC_C_AUTHZ_DEFAULT, COLE_DEFAULT_PRINCIPAL,
      c->remote ? RPC_C_AUTHN_LEVEL_PKT_PRIVACY : RPC_C_AUTHN_LEVEL_CALL,
      RPC_C_IMP_LEVEL_IMPERSONATE, c->remote && c->user ? &c->identity : NULL,
      EOAC_NONE);
}

HRESULT wmi_connection_open(IWbemLocator *locator, const wmi_host_t *host,
                            const char *wmi_namespace, wmi_connection_t **out) {
  wmi_connection_t *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return E_OUTOFMEMORY;
  c->remote = !wmi_host_is_local(host);
  HRESULT hr = c->remote ? set_remote_identity(c, host) : S_OK;
  if (SUCCEEDED(hr))
    hr = connect_server(locator, c, host, wmi_namespace);
  if (SUCCEEDED(hr))
    hr = set_blanket(c, (IUnknown *)c->services);
  if (SUCCEEDED(hr) && c->remote && c->user) {
    /* With explicit credentials the proxy's IUnknown needs them too, or
     * its QueryInterface and final Release run as the service account and
     * fail against the remote host after a stall. */
    IUnknown *unknown = NULL;
    hr = IWbemServices_QueryInterface(c->services, &IID_IUnknown,
                                      (void **)&unknown);
    if (SUCCEEDED(hr)) {
      hr = set_blanket(c, unknown);
      IUnknown_Release(unknown);
    }
  }
  if (SUCCEEDED(hr) && c->remote)
    hr = CoCreateInstance(&CLSID_UnsecuredApartment, NULL, CLSCTX_LOCAL_SERVER,
                          &IID_IUnsecuredApartment, (void **)&c->unsecured);
  if (FAILED(hr)) {
    wmi_connection_close(c);
    return hr;
  }
  *out = c;
  return S_OK;
}

void wmi_connection_close(wmi_connection_t *c) {
  if (c == NULL)
    return;
  if (c->services != NULL)
    IWbemServices_Release(c->services);
  if (c->unsecured != NULL)
    IUnsecuredApartment_Release(c->unsecured);
  free(c->user);
  free(c->domain);
  wipe_free(c->password);
  free(c);
}

IWbemServices *wmi_connection_services(wmi_connection_t *c) {
  return c->services;
}

void wmi_connection_set_services(wmi_connection_t *c, IWbemServices *svc) {
  if (c->services != NULL)
    IWbemServices_Release(c->services);
  c->services = svc;
}

HRESULT wmi_connection_call_sink(wmi_connection_t *c, IWbemObjectSink *sink,
                                 IWbemObjectSink **out) {
  if (c->unsecured == NULL) {
    IWbemObjectSink_AddRef(sink);
    *out = sink;
    return S_OK;
  }
  IUnknown *stub = NULL;
  HRESULT hr = IUnsecuredApartment_CreateObjectStub(c->unsecured,
                                                    (IUnknown *)sink, &stub);
  if (FAILED(hr))
    return hr;
  hr = IUnknown_QueryInterface(stub, &IID_IWbemObjectSink, (void **)out);
  IUnknown_Release(stub);
  return hr;
}
