/* A stand-in for Windows' unsecured apartment (unsecapp.exe), which Wine 8
 * does not register: CoCreateInstance(CLSID_UnsecuredApartment,
 * CLSCTX_LOCAL_SERVER) fails there with REGDB_E_CLASSNOTREG. Registered in
 * the test process, it lets a simulated remote host take the backend's
 * real remote path. Its stubs forward every sink call to the object they
 * wrap and are counted, so a test sees one that is never released. */
#ifndef FAKE_UNSECAPP_H
#define FAKE_UNSECAPP_H

#include <wbemidl.h>

/* Registers the class object for the process's MTA; call it on a thread
 * that called CoInitializeEx(COINIT_MULTITHREADED). Threads of the MTA
 * then get the fake from CoCreateInstance. Returns the HRESULT. */
HRESULT fake_unsecapp_register(void);
void fake_unsecapp_revoke(void);

LONG fake_unsecapp_live_stubs(void); /* stubs not yet released */
LONG fake_unsecapp_stubs_made(void); /* since the process started */
LONG fake_unsecapp_apartments(void); /* live IUnsecuredApartment objects */

#endif
