"""`idura-cognito doctor`: check every link of the login chain and say exactly what to fix."""
