/* Host check of os/include/uk/string.h against glibc's <string.h>. */
#include <stdio.h>
#include <string.h>
#include <uk/string.h>

static const char *const words[] = {
	"", "a", "ab", "abc", "abd", "ab\xff", "ab\x01", "bcd", "hello world", "hello",
};

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void)
{
	unsigned int i, j, fails = 0, checks = 0;
	size_t n;
	char unterminated[4] = { 'x', 'y', 'z', 'w' };

	for (i = 0; i < sizeof(words) / sizeof(*words); i++) {
		const char *a = words[i];

		fails += uk_strlen(a) != strlen(a);
		for (n = 0; n < 14; n++)
			fails += uk_strnlen(a, n) != strnlen(a, n), checks++;
		for (j = 0; j < sizeof(words) / sizeof(*words); j++) {
			const char *b = words[j];

			fails += uk_streq(a, b) != !strcmp(a, b);
			for (n = 0; n < 14; n++) {
				fails += sign(uk_strncmp(a, b, n)) != sign(strncmp(a, b, n));
				fails += uk_strneq_word(a, n <= strlen(a) ? n : strlen(a), b) !=
					 (strlen(b) == (n <= strlen(a) ? n : strlen(a)) &&
					  !strncmp(a, b, strlen(b)));
				checks += 2;
			}
		}
	}
	/* uk_strnlen reads nothing past max */
	fails += uk_strnlen(unterminated, 4) != 4;
	printf("checks=%u fails=%u\n", checks, fails);
	return fails != 0;
}
