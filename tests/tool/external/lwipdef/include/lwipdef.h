/* lwipdef fixture: its one function of its own. */
int lwipdef_fixture(void);   /* 10 * LWIPDEF_FIXTURE + LWIPDEF_SECRET: proves defines and private includes */
