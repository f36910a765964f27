"""Map geometry of Sweden's 21 län (see README.md) and the script that extracted it."""
