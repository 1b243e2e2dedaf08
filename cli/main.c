/* l2tpsh entry point (placeholder until the shell lands). */
int main(void);
int
main(void)
{
	return 0;
}
