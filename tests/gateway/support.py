"""Helpers for the gateway tests."""

from __future__ import annotations

from fastapi import FastAPI

from aiport.gateway.service import Gateway


def gateway_of(app: FastAPI) -> Gateway:
    gateway: Gateway = app.state.gateway
    return gateway
