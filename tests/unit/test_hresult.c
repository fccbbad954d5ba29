/* Log lines name WMI's errors the way Microsoft's documentation does. */
#include "unit.h"
#include "wmi_hresult.h"

typedef struct {
  uint32_t hr;
  const char *want;
  bool disconnect;
} case_t;

static const case_t cases[] = {
    {0x80041017,
     "WBEM_E_INVALID_QUERY (0x80041017): the query is not valid WQL", false},
    {0x8004100e, "WBEM_E_INVALID_NAMESPACE (0x8004100E)", false},
    {0x80040154, "REGDB_E_CLASSNOTREG (0x80040154)", false},
    {0x80041010, "WBEM_E_INVALID_CLASS (0x80041010)", false},
    {0x80041032, "WBEM_E_CALL_CANCELLED", false},
    {0x800706ba, "RPC_S_SERVER_UNAVAILABLE (0x800706BA)", true},
    {0x80010108, "RPC_E_DISCONNECTED", true},
    {0x80041033, "WBEM_E_SHUTTING_DOWN", true},
    {0x12345678, "HRESULT 0x12345678", false},
};

int main(void) {
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char buf[160];
    unit_case = cases[i].want;
    wmi_hresult_describe(cases[i].hr, buf, sizeof(buf));
    CHECK(strncmp(buf, cases[i].want, strlen(cases[i].want)) == 0, "got %s",
          buf);
    CHECK(wmi_hresult_is_disconnect(cases[i].hr) == cases[i].disconnect,
          "disconnect class");
  }
  return unit_summary("hresult");
}
