"""Allocator backends register themselves (UK_ALLOC_BACKEND, a link-time
table): a new allocator is one new library folder. The test adds a fixture
allocator to a copy of the OS tree -- without touching ukboot or
ukalloc's header -- chooses it in Kconfig, and boots an app (linuxu) that
checks the heap is the fixture's."""
import shutil
import textwrap

from conftest import REPO, uniforge

FIXTURE_LIB = {
    "library.toml": """\
        name = "ukallocfixture"
        provides = "ukalloc"
        summary = "test fixture: a bump allocator that names itself"
        sources = ["fixture.c"]
        """,
    "Config.uk": """\
        config LIBUKALLOCFIXTURE
        	bool "fixture allocator"
        	select LIBUKALLOC

        if LIBUKBOOT
        choice UKBOOT_ALLOC
        config UKBOOT_ALLOC_FIXTURE
        	bool "fixture (test)"
        	select LIBUKALLOCFIXTURE
        endchoice
        endif
        """,
    "fixture.c": """\
        #include <uk/essentials.h>
        #include <uk/alloc.h>

        struct fx { struct uk_alloc a; uintptr_t cur, end; };

        static void *fx_malloc(struct uk_alloc *a, size_t size)
        {
        	struct fx *f = (struct fx *)a;
        	uintptr_t p = (f->cur + 15) & ~(uintptr_t)15;

        	if (p + size > f->end)
        		return NULL;
        	f->cur = p + size;
        	return (void *)p;
        }

        static struct uk_alloc *fx_init(void *base, size_t len)
        {
        	struct fx *f = base;

        	if (len < 4096)
        		return NULL;
        	*f = (struct fx){ .a = { .name = "fixture", .malloc = fx_malloc },
        			  .cur = (uintptr_t)(f + 1), .end = (uintptr_t)base + len };
        	return &f->a;
        }

        #if defined(CONFIG_UKBOOT_ALLOC_FIXTURE)
        UK_ALLOC_BACKEND("fixture", fx_init);
        #endif
        """,
}

MAIN = r"""
#include <stdio.h>
#include <stdlib.h>
#include <uk/alloc.h>
int main(void)
{
	char *p = malloc(100);
	printf("heap=%s backend=%s p=%d\n", uk_alloc_get_default()->name,
	       uk_alloc_backend()->name, p != NULL);
	return 0;
}
"""


def test_a_new_allocator_is_one_folder(tmp_path, make_app):
    os_copy = tmp_path / "os"
    shutil.copytree(REPO / "os", os_copy)
    untouched = {p: p.read_bytes() for p in [os_copy / "lib/ukboot/heap.c", os_copy / "lib/ukboot/Config.uk",
                                              os_copy / "lib/ukalloc/include/uk/alloc.h"]}
    lib = os_copy / "lib" / "ukallocfixture"
    lib.mkdir()
    for name, text in FIXTURE_LIB.items():
        (lib / name).write_text(textwrap.dedent(text))
    app = make_app("name: t\ntargets: [linuxu/x86_64]\n", main_c=MAIN)
    env = {"UNIFORGE_OS": str(os_copy)}
    r = uniforge("run", app, "-t", "linuxu/x86_64", "--timeout", "60", "--set", "CONFIG_UKBOOT_ALLOC_FIXTURE=y",
                 cwd=tmp_path, env=env)
    assert r.rc == 0, r.text
    assert "heap=fixture backend=fixture p=1" in r.out
    # the default choice is still the buddy allocator
    r = uniforge("run", app, "-t", "linuxu/x86_64", "--timeout", "60", cwd=tmp_path, env=env)
    assert r.rc == 0, r.text
    assert "heap=buddy backend=buddy p=1" in r.out
    assert all(p.read_bytes() == data for p, data in untouched.items())
