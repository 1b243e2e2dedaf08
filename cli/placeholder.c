/* placeholder */
int l2tp_cli_placeholder(void);
int
l2tp_cli_placeholder(void)
{
	return 0;
}
